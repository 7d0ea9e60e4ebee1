from rest_framework.throttling import BaseThrottle

from ratelimits.services import rate_limit_hit


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


def _rate(scope: str) -> tuple[int, int]:
    from rest_framework.settings import api_settings

    num, period = str(api_settings.DEFAULT_THROTTLE_RATES[scope]).split("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
    return int(num), seconds
