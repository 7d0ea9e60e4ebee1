"""Where rate-limit counts live, shared by every server process.

PostgreSQL by default (the ``rate_limit_counters`` table); Redis when the default cache is Redis
(``CACHE_URL=redis://…``), which takes the counting load off the database. Both count with one atomic
operation per hit, so a limit is exact however many processes race, and both take the window from the
store's clock, so servers with skewed clocks still agree. Django's own cache ``incr`` is a
read-then-write on the database cache, which is why the counts do not go through it.
"""

import math
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils import timezone


@dataclass(frozen=True)
class RateLimitResult:
    hits: int
    allowed: bool
    retry_after: int


class DatabaseCounterStore:
    # Each statement is as small as it can be: counting runs on every API request, and PostgreSQL's
    # parsing and planning of a larger one (a CTE joined back to its VALUES, an unnest) cost more than the
    # upsert.
    def hit(self, bucket: str, window_seconds: int) -> tuple[int, int]:
        """Count one hit; return ``(hits in this window, seconds until the window ends)``."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO rate_limit_counters (bucket, window_start, hits)
                VALUES (%(bucket)s,
                    to_timestamp(floor(extract(epoch FROM statement_timestamp()) / %(window)s) * %(window)s), 1)
                ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
                RETURNING hits,
                    ceil(extract(epoch FROM window_start + make_interval(secs => %(window)s) - statement_timestamp()))
                """,
                {"bucket": bucket, "window": window_seconds},
            )
            hits, seconds_left = cursor.fetchone()
        return hits, int(seconds_left)

    def hit_many(self, buckets: list[tuple[str, int]]) -> list[tuple[int, int]]:
        """``hit`` for several ``(bucket, window_seconds)`` in one statement, answers in the same order."""
        sql, params = self.hit_many_statement(buckets)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return self.hit_many_answers(buckets, cursor.fetchall())

    @staticmethod
    def hit_many_statement(buckets: list[tuple[str, int]]) -> tuple[str, list]:
        """The statement ``hit_many`` runs, for a caller that sends it itself (``core.pipelining``). Rows
        are inserted and locked in bucket order, so two requests counting overlapping buckets cannot
        deadlock."""
        ordered = sorted(buckets)
        row = "(%s, to_timestamp(floor(extract(epoch FROM statement_timestamp()) / %s) * %s), 1)"
        sql = f"""
            INSERT INTO rate_limit_counters (bucket, window_start, hits) VALUES {", ".join([row] * len(ordered))}
            ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
            RETURNING bucket, hits, extract(epoch FROM window_start - statement_timestamp())
            """
        return sql, [value for bucket, window in ordered for value in (bucket, window, window)]

    @staticmethod
    def hit_many_answers(buckets: list[tuple[str, int]], rows: list[tuple]) -> list[tuple[int, int]]:
        """``(hits, seconds left)`` per bucket, in the order asked, from the rows of ``hit_many_statement``."""
        # The window's end, as seconds from the database's own clock: its start plus its length.
        answers = {bucket: (hits, float(start_from_now)) for bucket, hits, start_from_now in rows}
        return [(answers[bucket][0], math.ceil(answers[bucket][1] + window)) for bucket, window in buckets]

    def hits(self, bucket: str, window_seconds: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT hits FROM rate_limit_counters
                WHERE bucket = %s
                  AND window_start = to_timestamp(floor(extract(epoch FROM clock_timestamp()) / %s) * %s)
                """,
                [bucket, window_seconds, window_seconds],
            )
            row = cursor.fetchone()
        return row[0] if row else 0

    def give_back(self, bucket: str, window_seconds: int) -> None:
        """Undo one hit in the current window (never below zero)."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE rate_limit_counters SET hits = hits - 1
                WHERE bucket = %s AND hits > 0
                  AND window_start = to_timestamp(floor(extract(epoch FROM clock_timestamp()) / %s) * %s)
                """,
                [bucket, window_seconds, window_seconds],
            )

    def purge_expired(self, older_than: timedelta) -> int:
        from ratelimits.models import RateLimitCounter

        deleted, _ = RateLimitCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
        return deleted


# Run inside Redis, so reading its clock, counting and setting the expiry are one atomic step.
_REDIS_HIT = """
local now = tonumber(redis.call('TIME')[1])
local window = tonumber(ARGV[1])
local start = now - (now % window)
local key = KEYS[1] .. ':' .. start
local hits = redis.call('INCR', key)
if hits == 1 then redis.call('EXPIRE', key, window + 1) end
return {hits, start + window - now}
"""

_REDIS_HITS = """
local now = tonumber(redis.call('TIME')[1])
local window = tonumber(ARGV[1])
return tonumber(redis.call('GET', KEYS[1] .. ':' .. (now - (now % window))) or '0')
"""


_REDIS_GIVE_BACK = """
local now = tonumber(redis.call('TIME')[1])
local window = tonumber(ARGV[1])
local key = KEYS[1] .. ':' .. (now - (now % window))
if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
return 0
"""


class RedisCounterStore:
    key_prefix = "folio:rate-limit:"

    def __init__(self, url: str):
        import redis

        client = self._client = redis.Redis.from_url(url)
        self._hit = client.register_script(_REDIS_HIT)
        self._hits = client.register_script(_REDIS_HITS)
        self._give_back = client.register_script(_REDIS_GIVE_BACK)

    def hit(self, bucket: str, window_seconds: int) -> tuple[int, int]:
        hits, seconds_left = self._hit(keys=[self.key_prefix + bucket], args=[window_seconds])
        return int(hits), int(seconds_left)

    def hit_many(self, buckets: list[tuple[str, int]]) -> list[tuple[int, int]]:
        """``hit`` for several buckets in one round trip (each still counted atomically by its script)."""
        pipeline = self._client.pipeline(transaction=False)
        for bucket, window_seconds in buckets:
            self._hit(keys=[self.key_prefix + bucket], args=[window_seconds], client=pipeline)
        return [(int(hits), int(seconds_left)) for hits, seconds_left in pipeline.execute()]

    def hits(self, bucket: str, window_seconds: int) -> int:
        return int(self._hits(keys=[self.key_prefix + bucket], args=[window_seconds]))

    def give_back(self, bucket: str, window_seconds: int) -> None:
        self._give_back(keys=[self.key_prefix + bucket], args=[window_seconds])

    def purge_expired(self, older_than: timedelta) -> int:
        return 0  # every Redis counter expires with its window


REDIS_CACHE_BACKEND = "django.core.cache.backends.redis.RedisCache"


@cache
def _store(backend: str, location: str) -> DatabaseCounterStore | RedisCounterStore:
    # One store (and one Redis connection pool) per configuration, shared by the process's threads.
    return RedisCounterStore(location) if backend == REDIS_CACHE_BACKEND else DatabaseCounterStore()


def counter_store() -> DatabaseCounterStore | RedisCounterStore:
    """The store the default cache names: Redis when ``CACHE_URL`` is Redis, else PostgreSQL."""
    default = settings.CACHES["default"]
    location = default.get("LOCATION", "")
    if isinstance(location, list | tuple):  # several Redis servers: the first one is the primary
        location = location[0]
    return _store(default.get("BACKEND", ""), location)
