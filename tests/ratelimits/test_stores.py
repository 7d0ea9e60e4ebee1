import pytest
import redis

from ratelimits.services import rate_limit_hit, rate_limit_hit_many, rate_limit_hits, rate_limit_purge_expired
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


def test_several_buckets_count_in_one_call_as_one_by_one(rate_limit_store):
    rate_limit_hit(bucket="user", limit=10, window_seconds=DAY)
    results = rate_limit_hit_many(limits=[("user", 2, DAY), ("key", 2, 3600)])
    assert [(r.hits, r.allowed) for r in results] == [(2, True), (1, True)]
    assert 1 <= results[1].retry_after <= 3600 and 1 <= results[0].retry_after <= DAY
    again = rate_limit_hit_many(limits=[("user", 2, DAY), ("key", 2, 3600)])
    assert [(r.hits, r.allowed) for r in again] == [(3, False), (2, True)]
    assert rate_limit_hit_many(limits=[]) == []


def test_concurrent_counts_of_overlapping_buckets_in_any_order_are_exact(rate_limit_store):
    # Requests by one user with different keys, buckets named in either order: no deadlock, no lost hit.
    calls = [
        (lambda i=i: rate_limit_hit_many(limits=[(f"key-{i % 3}", 99, DAY), ("user", 99, DAY)]))
        if i % 2
        else (lambda i=i: rate_limit_hit_many(limits=[("user", 99, DAY), (f"key-{i % 3}", 99, DAY)]))
        for i in range(24)
    ]
    results = run_concurrently(calls)
    assert not [result for result in results if isinstance(result, Exception)]
    assert rate_limit_hits(bucket="user", window_seconds=DAY) == 24
    assert sum(rate_limit_hits(bucket=f"key-{n}", window_seconds=DAY) for n in range(3)) == 24
