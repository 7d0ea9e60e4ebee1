import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.catalog.factories import BookFactory
from tests.clients import key_client
from tests.reviews.factories import ReviewFactory
from tests.reviews.helpers import stars

pytestmark = pytest.mark.django_db


def _url(book) -> str:
    return f"/api/v1/books/{book.pk}/reviews/"


def test_post_review_creates_it_and_updates_the_book(user_client):
    book = BookFactory()
    response = user_client.post(_url(book), {"rating": 5, "review_text": "Loved it."}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["rating"] == 5
    assert stars(book) == [0, 0, 0, 0, 1]


def test_bare_rating_without_text_is_allowed(user_client):
    assert user_client.post(_url(BookFactory()), {"rating": 3}, format="json").status_code == 201


def test_second_review_is_409_with_a_clear_message(user_client):
    book = BookFactory()
    user_client.post(_url(book), {"rating": 5}, format="json")
    response = user_client.post(_url(book), {"rating": 1}, format="json")
    assert response.status_code == 409
    assert "already reviewed" in response.json()["detail"]
    assert stars(book) == [0, 0, 0, 0, 1]


@pytest.mark.parametrize("rating", [0, 6, 4.5, "4.5", "five", None, True, [], ""])
def test_bad_rating_is_400_naming_rating(user_client, rating):
    response = user_client.post(_url(BookFactory()), {"rating": rating}, format="json")
    assert response.status_code == 400
    assert "rating" in response.json()


def test_missing_rating_is_400(user_client):
    response = user_client.post(_url(BookFactory()), {"review_text": "no stars"}, format="json")
    assert response.status_code == 400
    assert "rating" in response.json()


def test_review_text_over_the_limit_is_400(user_client):
    response = user_client.post(
        _url(BookFactory()), {"rating": 3, "review_text": "x" * 10_001}, format="json"
    )
    assert response.status_code == 400
    assert "review_text" in response.json()


def test_review_of_a_missing_book_is_404(user_client, api_client):
    missing = "/api/v1/books/00000000-0000-0000-0000-000000000000/reviews/"
    assert user_client.post(missing, {"rating": 3}, format="json").status_code == 404
    assert api_client.get(missing).status_code == 404
    assert api_client.get("/api/v1/books/nope/reviews/").status_code == 404


def test_anonymous_cannot_review(api_client):
    assert api_client.post(_url(BookFactory()), {"rating": 3}, format="json").status_code == 401


def test_reviews_list_newest_first_with_cursor_pages(api_client):
    book = BookFactory()
    reviews = [ReviewFactory(book=book) for _ in range(5)]
    first = api_client.get(_url(book), {"page_size": 2}).json()
    assert [r["id"] for r in first["results"]] == [str(r.pk) for r in reversed(reviews)][:2]
    second = api_client.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [str(r.pk) for r in reversed(reviews)][2:4]
    assert "count" not in first  # no COUNT(*) on deep lists


@pytest.mark.parametrize(
    "cursor",
    ["abc", base64.b64encode(b"p=not-a-date").decode(), base64.b64encode(b"o=-5&r=1").decode()],
)
def test_malformed_cursor_is_400_naming_it(api_client, cursor):
    ReviewFactory.create_batch(3, book=(book := BookFactory()))
    response = api_client.get(_url(book), {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert "cursor" in str(response.json())


def test_reviewer_email_is_never_shown(api_client):
    review = ReviewFactory()
    body = api_client.get(f"/api/v1/reviews/{review.pk}/").json()
    assert review.user.email not in str(body)


@pytest.mark.parametrize("page_size", [5, 50])
def test_review_list_query_count_is_constant(api_client, page_size):
    book = BookFactory()
    for _ in range(60):
        ReviewFactory(book=book)
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(_url(book), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    # the anonymous throttle's counter, one page of reviews with their readers (which prove the book exists)
    assert len(queries) == 2, [q["sql"] for q in queries]


def test_an_empty_review_list_tells_a_book_without_reviews_from_a_missing_book(api_client):
    book = BookFactory()
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(_url(book))
    assert (response.status_code, response.json()["results"]) == (200, [])
    assert len(queries) == 3  # counter, the empty page, the book's existence
    book.delete()
    assert api_client.get(_url(book)).status_code == 404


def test_author_edits_and_deletes_own_review(user_client, user):
    review = ReviewFactory(user=user, rating=2)
    response = user_client.patch(f"/api/v1/reviews/{review.pk}/", {"rating": 4}, format="json")
    assert response.status_code == 200
    assert stars(review.book) == [0, 0, 0, 1, 0]
    assert user_client.delete(f"/api/v1/reviews/{review.pk}/").status_code == 204
    assert stars(review.book) == [0, 0, 0, 0, 0]


def test_someone_elses_review_cannot_be_edited_or_deleted_and_looks_missing(user_client):
    review = ReviewFactory(rating=2)
    assert user_client.patch(f"/api/v1/reviews/{review.pk}/", {"rating": 5}, format="json").status_code == 404
    assert user_client.delete(f"/api/v1/reviews/{review.pk}/").status_code == 404
    assert stars(review.book) == [0, 1, 0, 0, 0]


def test_staff_may_delete_but_not_edit_others_reviews(staff_client):
    review = ReviewFactory(rating=2)
    assert (
        staff_client.patch(f"/api/v1/reviews/{review.pk}/", {"rating": 5}, format="json").status_code == 404
    )
    assert staff_client.delete(f"/api/v1/reviews/{review.pk}/").status_code == 204
    assert stars(review.book) == [0, 0, 0, 0, 0]


def test_me_reviews_lists_only_mine(user_client, user):
    mine = ReviewFactory(user=user)
    ReviewFactory()
    results = user_client.get("/api/v1/me/reviews/").json()["results"]
    assert [r["id"] for r in results] == [str(mine.pk)]


def test_book_list_and_detail_show_my_rating_without_extra_queries(user_client, user):
    books = BookFactory.create_batch(30)
    for book in books[:10]:
        ReviewFactory(user=user, book=book, rating=3)
    listing = user_client.get("/api/v1/books/", {"page_size": 30}).json()["results"]
    assert sorted(row["my_rating"] for row in listing if row["my_rating"]) == [3] * 10
    detail = user_client.get(f"/api/v1/books/{books[0].pk}/").json()
    assert detail["my_rating"] == 3
    assert APIClient().get(f"/api/v1/books/{books[0].pk}/").json()["my_rating"] is None


def test_api_key_needs_reviews_write(user):
    book = BookFactory()

    def review(client):
        return client.post(_url(book), {"rating": 4}, format="json").status_code

    assert review(key_client(user, [])) == 403
    assert review(key_client(user, ["reviews:write"])) == 201


def test_unknown_user_review_ids_are_404(api_client):
    assert api_client.get("/api/v1/reviews/not-a-uuid/").status_code == 404
