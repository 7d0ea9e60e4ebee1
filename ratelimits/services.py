"""Counting hits in fixed windows, exactly, across every server process."""

from datetime import timedelta

from ratelimits.stores import RateLimitResult, counter_store


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
