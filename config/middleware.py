from django.conf import settings
from django.http import JsonResponse


class ApiBodySizeLimitMiddleware:
    """Refuse oversized API bodies before anything reads them.

    DRF parses JSON from the request stream, which bypasses Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    check on ``request.body``; the declared length is checked here instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return JsonResponse({"detail": "Content-Length header is not a number."}, status=400)
            if limit is not None and length > limit:
                return JsonResponse(
                    {"detail": f"Request body is too large: {length} bytes, the limit is {limit}."},
                    status=413,
                )
        return self.get_response(request)
