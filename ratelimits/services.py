"""Counting hits in fixed windows, exactly, across every server process."""

from collections.abc import Callable
from datetime import timedelta

from core.pipelining import Ride
from ratelimits.stores import DatabaseCounterStore, RateLimitResult, counter_store


def rate_limit_hit(*, bucket: str, limit: int, window_seconds: int) -> RateLimitResult:
    """Count one hit in ``bucket``'s current fixed window and say whether it is within ``limit``.

    The store counts atomically (see ``ratelimits.stores``), so the limit is exact however many
    processes or threads race.
    """
    hits, seconds_left = counter_store().hit(bucket, window_seconds)
    return RateLimitResult(hits=hits, allowed=hits <= limit, retry_after=max(1, seconds_left))


def rate_limit_hit_many(*, limits: list[tuple[str, int, int]]) -> list[RateLimitResult]:
    """``rate_limit_hit`` for several ``(bucket, limit, window_seconds)`` at once, in one round trip to the
    store (a request under a user's and a key's limit counts both)."""
    if not limits:
        return []
    counted = counter_store().hit_many([(bucket, window) for bucket, _limit, window in limits])
    return _results(limits, counted)


def rate_limit_hit_many_with_next_query(
    *, limits: list[tuple[str, int, int]], ride: Ride, then: Callable[[list[RateLimitResult]], None]
) -> bool:
    """Count ``limits`` as ``rate_limit_hit_many`` does, in the round trip of the next statement run under
    ``ride`` (see ``core.pipelining``); ``then`` gets the results. False, with nothing counted, when the
    counts are not kept in the database the statement goes to (Redis keeps them)."""
    store = counter_store()
    if not limits or not isinstance(store, DatabaseCounterStore):
        return False
    buckets = [(bucket, window) for bucket, _limit, window in limits]
    sql, params = store.hit_many_statement(buckets)
    ride.board(sql, params, lambda rows: then(_results(limits, store.hit_many_answers(buckets, rows))))
    return True


def _results(limits: list[tuple[str, int, int]], counted: list[tuple[int, int]]) -> list[RateLimitResult]:
    return [
        RateLimitResult(hits=hits, allowed=hits <= limit, retry_after=max(1, seconds_left))
        for (_bucket, limit, _window), (hits, seconds_left) in zip(limits, counted, strict=True)
    ]


def rate_limit_hits(*, bucket: str, window_seconds: int) -> int:
    return counter_store().hits(bucket, window_seconds)


def rate_limit_purge_expired(*, older_than: timedelta = timedelta(days=1)) -> int:
    return counter_store().purge_expired(older_than)


def rate_limit_give_back(*, bucket: str, window_seconds: int) -> None:
    """Take one hit back (a sign-in that succeeded was counted as an attempt before the password check)."""
    counter_store().give_back(bucket, window_seconds)
