from functools import cache

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string
from rest_framework.exceptions import Throttled
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from core.pipelining import Ride
from ratelimits.services import (
    RateLimitResult,
    rate_limit_hit,
    rate_limit_hit_many,
    rate_limit_hit_many_with_next_query,
)


class CounterThrottle(BaseThrottle):
    """A throttle counted by the shared atomic counter (exact across processes, unlike DRF's cache)."""

    retry_after: int | None = None

    def limit_for(self, request, view) -> tuple[str, int, int] | None:
        """``(bucket, limit, window_seconds)``, or None when this throttle does not apply."""
        raise NotImplementedError

    def allow_request(self, request, view):
        limit = self.limit_for(request, view)
        if limit is None:
            return True
        bucket, allowed, window = limit
        result = rate_limit_hit(bucket=bucket, limit=allowed, window_seconds=window)
        self.retry_after = result.retry_after
        return result.allowed

    def wait(self):
        return self.retry_after


class AnonRateThrottle(CounterThrottle):
    """Per client address (``NUM_PROXIES`` decides which X-Forwarded-For entry is trusted)."""

    scope = "anon"

    def limit_for(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        count, seconds = _rate(self.scope)
        return f"anon:{self.get_ident(request)}", count, seconds


@cache
def _limit_throttles(paths: tuple[str, ...]) -> list[CounterThrottle]:
    return [import_string(path)() for path in paths]


class RequestLimitsThrottle(BaseThrottle):
    """Every limit in ``settings.RATE_LIMIT_THROTTLES`` that applies to a request, counted in one round trip
    to the counter store (a request with an API key is under its key's and its user's limits). As in DRF's
    own loop over throttle classes, every limit that applies counts the request; the wait is the longest
    of those that refuse it.

    A read on a view that counts with its first query (``CountedWithFirstQuery``) is let through here and
    counted in the round trip of the view's first statement, which refuses it then."""

    retry_after: int | None = None

    def allow_request(self, request, view):
        limits = []
        for throttle in _limit_throttles(tuple(settings.RATE_LIMIT_THROTTLES)):
            limit = throttle.limit_for(request, view)
            if limit is not None:
                limits.append(limit)
        ride = getattr(view, "rate_limit_ride", None)
        if (
            ride is not None
            and request.method in SAFE_METHODS
            and rate_limit_hit_many_with_next_query(
                limits=limits, ride=ride, then=lambda results: self._refuse_late(results, request, view)
            )
        ):
            return True
        return self._allowed(rate_limit_hit_many(limits=limits))

    def _allowed(self, results: list[RateLimitResult]) -> bool:
        refused = [result.retry_after for result in results if not result.allowed]
        self.retry_after = max(refused, default=None)
        return not refused

    def _refuse_late(self, results: list[RateLimitResult], request, view) -> None:
        if not self._allowed(results):
            view.throttled(request, self.retry_after)

    def wait(self):
        return self.retry_after


class CountedWithFirstQuery:
    """A mixin for API views whose reads start with a query: a read request's rate limits are counted in
    the same round trip to PostgreSQL as the view's first statement (``core.pipelining``), instead of a
    round trip of their own before the view runs. Over its limit, the request is refused as soon as that
    statement returns, with the same 429 and ``Retry-After``; the rows it read are discarded. A read that
    runs no statement is counted, and refused, once the view has answered. Writes count first, as
    everywhere."""

    rate_limit_ride: Ride | None = None

    def dispatch(self, request, *args, **kwargs):
        ride = self.rate_limit_ride = Ride()
        try:
            with connection.execute_wrapper(ride):
                response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        finally:
            refusal = _count_if_waiting(ride)  # after a failure too: a request that failed still counts
        if refusal is not None:
            response = self.finalize_response(self.request, self.handle_exception(refusal), *args, **kwargs)  # type: ignore[attr-defined]
        return response


def _count_if_waiting(ride: Ride) -> Throttled | None:
    try:
        ride.send_alone(connection)
    except Throttled as refusal:
        return refusal
    return None


def _rate(scope: str) -> tuple[int, int]:
    from rest_framework.settings import api_settings

    num, period = str(api_settings.DEFAULT_THROTTLE_RATES[scope]).split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
    return int(num), seconds
