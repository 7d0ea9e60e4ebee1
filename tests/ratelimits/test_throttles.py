"""Reads on the catalog's, reviews' and collections' views count their rate limits in the round trip of
their first query (``ratelimits.throttles.CountedWithFirstQuery``): the limits hold exactly as before."""

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from accounts import services
from ratelimits import services as ratelimit_services
from ratelimits.models import RateLimitCounter
from reviews.models import Review
from tests.accounts.factories import UserFactory
from tests.accounts.helpers import LONG_WINDOW
from tests.catalog.factories import BookFactory
from tests.threads import run_concurrently

# Outside a test transaction, so the count really rides with the view's query.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def anonymous_limit_of_two(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/day"},
    }
    api_settings.reload()
    yield
    api_settings.reload()


def _key_client(limit: int) -> tuple[APIClient, str]:
    key, full_key = services.api_key_create(
        user=UserFactory(), name="k", permissions=["reviews:write"], rate_limit=limit
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {full_key}")
    return client, f"api-key:{key.pk}"


def test_reads_count_with_their_query_and_the_third_is_refused(anonymous_limit_of_two, monkeypatch):
    book = BookFactory()

    def counted_on_its_own(**kwargs):
        raise AssertionError("a read counts in its query's round trip")

    monkeypatch.setattr("ratelimits.throttles.rate_limit_hit_many", counted_on_its_own)
    client = APIClient()
    statuses = [client.get(f"/api/v1/books/{book.pk}/").status_code for _ in range(2)]
    refused = client.get(f"/api/v1/books/{book.pk}/reviews/")
    assert statuses + [refused.status_code] == [200, 200, 429]
    assert 1 <= int(refused["Retry-After"]) <= 24 * 3600
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert RateLimitCounter.objects.get(bucket="anon:127.0.0.1").hits == 3


def test_a_read_that_runs_no_query_is_still_counted_and_refused(anonymous_limit_of_two):
    client = APIClient()
    assert client.get("/api/v1/books/?page=first").status_code == 400  # refused before any query
    assert client.get("/api/v1/books/?page=first").status_code == 400
    refused = client.get("/api/v1/books/?page=first")
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert RateLimitCounter.objects.get(bucket="anon:127.0.0.1").hits == 3


def test_a_write_on_the_same_view_is_refused_before_it_writes(settings):
    settings.API_RATE_WINDOW_SECONDS = LONG_WINDOW
    book = BookFactory()
    client, _bucket = _key_client(limit=1)
    assert client.get(f"/api/v1/books/{book.pk}/reviews/").status_code == 200
    response = client.post(f"/api/v1/books/{book.pk}/reviews/", {"rating": 5}, format="json")
    assert response.status_code == 429
    assert not Review.objects.exists()


def test_a_key_limit_is_exact_when_reads_race(rate_limit_store, settings):
    settings.API_RATE_WINDOW_SECONDS = LONG_WINDOW
    book = BookFactory()
    client, bucket = _key_client(limit=5)
    statuses = run_concurrently([lambda: client.get(f"/api/v1/books/{book.pk}/reviews/").status_code] * 12)
    assert sorted(statuses) == [200] * 5 + [429] * 7
    assert ratelimit_services.rate_limit_hits(bucket=bucket, window_seconds=LONG_WINDOW) == 12


def test_a_failed_read_is_counted(settings, monkeypatch):
    settings.API_RATE_WINDOW_SECONDS = LONG_WINDOW
    client, bucket = _key_client(limit=5)
    client.raise_request_exception = False

    def broken(**kwargs):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr("catalog.api.selectors.book_list_pages", broken)
    assert client.get("/api/v1/books/").status_code == 500
    assert ratelimit_services.rate_limit_hits(bucket=bucket, window_seconds=LONG_WINDOW) == 1
