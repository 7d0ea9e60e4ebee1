"""Every list and detail endpoint runs an exact, stated number of queries, whatever the page size or the
amount of data (a signed-in caller: the per-user rate-limit counter is one of them)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import services as account_services
from catalog.models import Book, Genre
from collections_app import services as collection_services
from collections_app.models import Collection
from favorites import services as favorite_services
from reviews.models import Review
from stories.models import Story
from tests.catalog.factories import BookFactory, GenreFactory
from tests.reviews.factories import ReviewFactory
from tests.stories.factories import IntentFactory, RepositoryFactory, StoryFactory

pytestmark = pytest.mark.django_db

ROWS = 55


def _seed(user) -> None:
    account_services.user_set_tier(user=user, tier="enterprise")  # room for ROWS active keys
    books = BookFactory.create_batch(ROWS, genres=GenreFactory.create_batch(2))
    GenreFactory.create_batch(ROWS)
    for book in books:
        ReviewFactory(user=user, book=book)
        favorite_services.favorite_add(user=user, book=book)
    for index in range(ROWS):
        account_services.api_key_create(user=user, name=f"k{index}", permissions=[])
        collection_services.collection_create(owner=user, name=f"C{index}")
        repository = RepositoryFactory(user=user)
        IntentFactory(repository=repository)
        StoryFactory(repository=repository)


# rate-limit counter + count + page; cursor pages have no count
ENDPOINTS = {
    "/api/v1/books/": 3,  # counter, count, page (with my_rating, is_favorite and genres)
    "/api/v1/genres/": 3,
    "/api/v1/me/reviews/": 2,  # counter, page (cursor pagination: no count)
    "/api/v1/me/favorites/": 3,
    "/api/v1/me/api-keys/": 3,
    "/api/v1/collections/": 3,
    "/api/v1/repositories/": 3,
    "/api/v1/intents/": 3,
    "/api/v1/stories/": 3,
}


def _queries(client, url, page_size) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()["results"]) == page_size
    return len(queries)


@pytest.mark.parametrize("url, expected", ENDPOINTS.items())
def test_list_query_count_is_exact_whatever_the_page(user, url, expected):
    _seed(user)
    client = APIClient()
    client.force_authenticate(user)
    assert Genre.objects.count() >= ROWS
    assert (_queries(client, url, 5), _queries(client, url, 50)) == (expected, expected)


def _detail_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def test_detail_query_counts_are_exact(user):
    _seed(user)
    client = APIClient()
    client.force_authenticate(user)
    book = Book.objects.first()
    collection = Collection.objects.first()
    for name in ("One", "Two"):  # groups with books: their prefetches count too
        group = collection_services.group_create(collection=collection, name=name)
        collection_services.group_set_books(group=group, books=list(Book.objects.all()[:3]))
    details = {
        f"/api/v1/books/{book.pk}/": 2,  # counter, the book (stars, favorite flag and count, genres)
        f"/api/v1/genres/{Genre.objects.first().slug}/": 2,
        f"/api/v1/reviews/{Review.objects.first().pk}/": 2,
        f"/api/v1/collections/{collection.pk}/": 2,  # counter, the collection with its groups and books
        f"/api/v1/stories/{Story.objects.first().pk}/": 3,  # counter, story, chapters
        "/api/v1/me/": 1,
        "/api/v1/me/preferences/": 2,
    }
    measured = {url: _detail_queries(client, url) for url in details}
    assert measured == details
