"""Every list endpoint runs the same number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts import services as account_services
from catalog.models import Genre
from collections_app import services as collection_services
from favorites import services as favorite_services
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


ENDPOINTS = [
    "/api/v1/books/",
    "/api/v1/genres/",
    "/api/v1/me/reviews/",
    "/api/v1/me/favorites/",
    "/api/v1/me/api-keys/",
    "/api/v1/collections/",
    "/api/v1/repositories/",
    "/api/v1/intents/",
    "/api/v1/stories/",
]


def _queries(client, url, page_size) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200, response.content[:300]
    assert len(response.json()["results"]) == page_size
    return len(queries)


@pytest.mark.parametrize("url", ENDPOINTS)
def test_list_query_count_does_not_grow_with_the_page(user, url):
    _seed(user)
    client = APIClient()
    client.force_authenticate(user)
    assert Genre.objects.count() >= ROWS
    assert _queries(client, url, 5) == _queries(client, url, 50)
