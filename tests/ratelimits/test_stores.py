import pytest
import redis

from ratelimits.services import rate_limit_hit, rate_limit_hits, rate_limit_purge_expired
from ratelimits.stores import DatabaseCounterStore, RedisCounterStore, counter_store
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)

# Fixed windows start on the clock; a day-long one makes a test that straddles a boundary (and sees its
# counts reset) all but impossible.
DAY = 86_400


def test_counter_store_follows_the_default_cache(rate_limit_store):
    expected = RedisCounterStore if rate_limit_store else DatabaseCounterStore
    assert isinstance(counter_store(), expected)


def test_hits_count_exactly_within_a_window(rate_limit_store):
    results = [rate_limit_hit(bucket="t", limit=2, window_seconds=DAY) for _ in range(3)]
    assert [r.hits for r in results] == [1, 2, 3]
    assert [r.allowed for r in results] == [True, True, False]
    assert all(1 <= r.retry_after <= DAY for r in results)
    assert rate_limit_hits(bucket="t", window_seconds=DAY) == 3
    assert rate_limit_hits(bucket="other", window_seconds=DAY) == 0


def test_concurrent_hits_allow_exactly_the_limit(rate_limit_store):
    results = run_concurrently([lambda: rate_limit_hit(bucket="race", limit=5, window_seconds=DAY)] * 24)
    assert sorted(r.hits for r in results) == list(range(1, 25))
    assert sum(r.allowed for r in results) == 5


def test_redis_counters_expire_with_their_window(redis_cache, settings):
    rate_limit_hit(bucket="short", limit=5, window_seconds=60)
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    (key,) = client.keys("folio:rate-limit:short:*")
    assert 0 < client.ttl(key) <= 61
    assert rate_limit_purge_expired() == 0
