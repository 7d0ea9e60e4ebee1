from django.conf import settings

from accounts.models import TIER_API_LIMITS, ApiKey
from ratelimits.throttles import CounterThrottle


class UserRateThrottle(CounterThrottle):
    """One hourly ceiling per signed-in user, whatever they authenticate with (session or any of their
    keys), set by their tier."""

    def limit_for(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        ceiling = TIER_API_LIMITS[request.user.subscription_tier].hourly_requests
        return f"user:{request.user.pk}", ceiling, settings.API_RATE_WINDOW_SECONDS


class ApiKeyRateThrottle(CounterThrottle):
    """Each key's own ``rate_limit`` requests per hour, never above what the owner's tier allows a key
    (a key made on a higher tier keeps working, at the lower ceiling, after a downgrade)."""

    def limit_for(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        ceiling = TIER_API_LIMITS[request.user.subscription_tier].key_rate_limit_max
        return (
            f"api-key:{request.auth.pk}",
            min(request.auth.rate_limit, ceiling),
            settings.API_RATE_WINDOW_SECONDS,
        )
