"""An API key's hourly limit holds exactly across several gunicorn worker processes, in either store."""

import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from accounts import services
from ratelimits.models import RateLimitCounter
from tests.accounts.factories import UserFactory
from tests.accounts.helpers import LONG_WINDOW
from tests.processes import gunicorn

pytestmark = pytest.mark.django_db(transaction=True)


def _get(url: str, key: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Api-Key {key}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_key_limit_is_exact_across_three_gunicorn_workers(rate_limit_store):
    key, full_key = services.api_key_create(user=UserFactory(), name="k", permissions=[], rate_limit=10)
    extra = {"API_RATE_WINDOW_SECONDS": str(LONG_WINDOW)}
    if rate_limit_store:
        extra["CACHE_URL"] = rate_limit_store
    with gunicorn("--workers", "3", **extra) as base:
        url = f"{base}/api/v1/me/"
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(lambda _: _get(url, full_key), range(30)))
    assert sorted(statuses) == [200] * 10 + [429] * 20
    counted_in_database = RateLimitCounter.objects.filter(bucket=f"api-key:{key.pk}").exists()
    assert counted_in_database is (rate_limit_store is None)
