"""Review lists page on the unique (created_at, id): rows written in one statement share a created_at,
and every one of them is still seen exactly once, forwards and backwards, at any page size."""

import base64
import json

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from catalog.models import Book
from tests.catalog.factories import BookFactory

pytestmark = pytest.mark.django_db

ROWS = 1_500


def _walk(client: APIClient, url: str, page_size: int) -> tuple[list[str], list[str], int]:
    """Follow ``next`` to the end, then ``previous`` back to the start: ids in order both ways, pages."""
    forward: list[str] = []
    page = client.get(url, {"page_size": page_size}).json()
    pages = 1
    forward += [row["id"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        pages += 1
        forward += [row["id"] for row in page["results"]]
        assert pages <= ROWS // page_size + 2, "the cursor loops"
    backward = [row["id"] for row in reversed(page["results"])]
    while page["previous"]:
        page = client.get(page["previous"]).json()
        backward += [row["id"] for row in reversed(page["results"])]
        assert len(backward) <= ROWS, "the cursor loops backwards"
    return forward, backward, pages


def _expected(where: str, value) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM reviews WHERE {where} = %s ORDER BY created_at DESC, id DESC", [value]
        )
        return [str(row[0]) for row in cursor.fetchall()]


@pytest.fixture
def book_with_bulk_reviews() -> Book:
    book = BookFactory()
    User.objects.bulk_create([User(email=f"bulk{i}@example.com", password="!") for i in range(ROWS)])
    with connection.cursor() as cursor:  # one statement: every review gets the same created_at
        cursor.execute(
            "INSERT INTO reviews (user_id, book_id, rating, review_text) "
            "SELECT id, %s, 1 + (random() * 4)::int, '' FROM users WHERE email LIKE 'bulk%%'",
            [book.pk],
        )
        cursor.execute("SELECT count(DISTINCT created_at) FROM reviews WHERE book_id = %s", [book.pk])
        assert cursor.fetchone()[0] == 1
    return book


@pytest.mark.parametrize("page_size", [20, 100])
def test_a_books_bulk_written_reviews_page_to_the_end_and_back(book_with_bulk_reviews, page_size):
    book = book_with_bulk_reviews
    forward, backward, pages = _walk(APIClient(), f"/api/v1/books/{book.pk}/reviews/", page_size)
    expected = _expected("book_id", book.pk)
    assert len(expected) == ROWS
    assert forward == expected
    assert list(reversed(backward)) == expected
    assert pages == -(-ROWS // page_size)


@pytest.mark.parametrize("page_size", [20, 100])
def test_my_bulk_written_reviews_page_to_the_end_and_back(user, page_size):
    Book.objects.bulk_create([Book(title=f"Book {i}", author="A") for i in range(ROWS)])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reviews (user_id, book_id, rating, review_text) "
            "SELECT %s, id, 3, '' FROM books WHERE title LIKE 'Book %%'",
            [user.pk],
        )
    client = APIClient()
    client.force_authenticate(user)
    forward, backward, _pages = _walk(client, "/api/v1/me/reviews/", page_size)
    expected = _expected("user_id", user.pk)
    assert len(expected) == ROWS
    assert forward == expected
    assert list(reversed(backward)) == expected


def _token(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        _token({"d": "n", "k": ["2024-01-01T00:00:00+00:00"]}),
        _token({"d": "x", "k": ["2024-01-01T00:00:00+00:00", "5b7e0a9c-4e0f-4d55-9c6b-111111111111"]}),
        _token({"d": "n", "k": ["2024-13-01T00:00:00+00:00", "5b7e0a9c-4e0f-4d55-9c6b-111111111111"]}),
        _token({"d": "n", "k": ["2024-01-01T00:00:00", "5b7e0a9c-4e0f-4d55-9c6b-111111111111"]}),
        _token({"d": "n", "k": ["2024-01-01T00:00:00+00:00", "not-a-uuid"]}),
        _token(["n"]),
        "%%%",
        "é",
    ],
)
def test_tampered_cursors_are_400(api_client, cursor):
    book = BookFactory()
    response = api_client.get(f"/api/v1/books/{book.pk}/reviews/", {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["cursor"]


@pytest.mark.parametrize("url", ["/api/v1/books/", "/api/v1/genres/", "REVIEWS"])
@pytest.mark.parametrize("page_size", ["0", "-1", "abc", "1.5", "", "١"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_400(api_client, url, page_size):
    if url == "REVIEWS":
        url = f"/api/v1/books/{BookFactory().pk}/reviews/"
    response = api_client.get(url, {"page_size": page_size})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]
