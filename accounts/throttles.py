from accounts.models import ApiKey
from config.throttles import CounterThrottle


class ApiKeyRateThrottle(CounterThrottle):
    """Each key's own ``rate_limit`` requests per hour."""

    def limit_for(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return f"api-key:{request.auth.pk}", request.auth.rate_limit, 3600
