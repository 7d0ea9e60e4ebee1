from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from rest_framework.throttling import BaseThrottle

from ratelimits.services import rate_limit_hit, rate_limit_hit_many


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
    of those that refuse it."""

    retry_after: int | None = None

    def allow_request(self, request, view):
        limits = []
        for throttle in _limit_throttles(tuple(settings.RATE_LIMIT_THROTTLES)):
            limit = throttle.limit_for(request, view)
            if limit is not None:
                limits.append(limit)
        refused = [result.retry_after for result in rate_limit_hit_many(limits=limits) if not result.allowed]
        self.retry_after = max(refused, default=None)
        return not refused

    def wait(self):
        return self.retry_after


def _rate(scope: str) -> tuple[int, int]:
    from rest_framework.settings import api_settings

    num, period = str(api_settings.DEFAULT_THROTTLE_RATES[scope]).split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
    return int(num), seconds
