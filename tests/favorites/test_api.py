import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from favorites import services
from favorites.models import UserFavorite
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory
from tests.clients import key_client
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db


def _url(book) -> str:
    return f"/api/v1/books/{book.pk}/favorite/"


def test_put_and_delete_are_idempotent_204(user_client, user):
    book = BookFactory()
    assert [user_client.put(_url(book)).status_code for _ in range(2)] == [204, 204]
    assert UserFavorite.objects.filter(user=user).count() == 1
    assert [user_client.delete(_url(book)).status_code for _ in range(2)] == [204, 204]
    assert not UserFavorite.objects.exists()


def test_missing_or_malformed_book_is_404(user_client):
    assert user_client.put("/api/v1/books/00000000-0000-0000-0000-000000000000/favorite/").status_code == 404
    assert user_client.put("/api/v1/books/12345/favorite/").status_code == 404


def test_anonymous_is_401(api_client):
    assert api_client.put(_url(BookFactory())).status_code == 401


def test_me_favorites_lists_books_with_favorited_at(user_client, user):
    first, second = BookFactory(), BookFactory()
    services.favorite_add(user=user, book=first)
    services.favorite_add(user=user, book=second)
    results = user_client.get("/api/v1/me/favorites/").json()["results"]
    assert [row["id"] for row in results] == [str(second.pk), str(first.pk)]
    assert all(row["favorited_at"] and row["is_favorite"] for row in results)


def test_book_detail_shows_is_favorite_and_count(user_client, user):
    book = BookFactory()
    services.favorite_add(user=user, book=book)
    services.favorite_add(user=UserFactory(), book=book)
    body = user_client.get(f"/api/v1/books/{book.pk}/").json()
    assert body["is_favorite"] is True
    assert body["favorite_count"] == 2
    anonymous = APIClient().get(f"/api/v1/books/{book.pk}/").json()
    assert anonymous["is_favorite"] is None


@pytest.mark.parametrize("page_size", [5, 50])
def test_book_list_is_favorite_with_constant_queries(user, page_size):
    client = APIClient()
    client.force_login(user)
    books = BookFactory.create_batch(60)
    favorites = {book.pk for book in books[::3]}
    for book in books[::3]:
        services.favorite_add(user=user, book=book)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/books/", {"page_size": page_size})
    results = response.json()["results"]
    assert len(results) == page_size
    assert all(row["is_favorite"] == (row["id"] in {str(pk) for pk in favorites}) for row in results)
    # session and user (one statement), throttle counter, count, page (with is_favorite, my_rating and genres)
    assert len(queries) == 4, [q["sql"] for q in queries]


def test_api_key_needs_favorites_write(user):
    book = BookFactory()
    assert key_client(user, []).put(_url(book)).status_code == 403
    assert key_client(user, ["favorites:write"]).put(_url(book)).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_16_concurrent_puts_make_one_row_and_all_204():
    user, book = UserFactory(), BookFactory()

    def put():
        client = APIClient()
        client.force_authenticate(user)
        return client.put(_url(book)).status_code

    assert run_concurrently([put] * 16) == [204] * 16
    assert UserFavorite.objects.filter(user=user, book=book).count() == 1


@pytest.mark.django_db(transaction=True)
def test_mixed_concurrent_adds_and_removes_end_consistent():
    user = UserFactory()
    books = BookFactory.create_batch(4)

    def work(index: int):
        book = books[index % 4]
        if index % 2:
            return services.favorite_add(user=user, book=book)
        return services.favorite_remove(user=user, book_id=book.pk)

    results = run_concurrently([lambda i=i: work(i) for i in range(16)])
    assert not [r for r in results if isinstance(r, Exception)]
    rows = list(UserFavorite.objects.filter(user=user).values_list("book_id", flat=True))
    assert len(rows) == len(set(rows)) <= 4
    for book in books:  # the API agrees with the table afterwards
        client = APIClient()
        client.force_authenticate(user)
        assert client.get(f"/api/v1/books/{book.pk}/").json()["is_favorite"] == (book.pk in rows)
