from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_ident(request: HttpRequest) -> str:
    """The client's address as the throttles see it (``NUM_PROXIES`` decides which X-Forwarded-For entry
    is trusted), for a DRF request or a plain Django one such as the admin's."""
    # DRF reads only META from the request, which a plain Django request has as well.
    return BaseThrottle().get_ident(request)  # type: ignore[arg-type]
