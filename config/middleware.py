from django.conf import settings
from django.http import JsonResponse

NUL_MARKERS = (b"\x00", b"\\u0000")


class ApiRequestGuardMiddleware:
    """Refuse, with a JSON 4xx, API requests that no view should have to handle.

    - Bodies larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``: DRF parses JSON from the request stream, which
      bypasses Django's own check on ``request.body``, so the declared length is checked here (413).
    - NUL characters in the path, query string or body: PostgreSQL text cannot hold them, so they would
      otherwise surface as database errors deep inside a write (400).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Content-Length header is not a number."}, status=400)
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"Request body is too large: {length} bytes, the limit is {limit}."}, status=413
            )
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in query or "%00" in query:
            return JsonResponse({"detail": "NUL characters are not allowed in URLs."}, status=400)
        if length and any(marker in request.body for marker in NUL_MARKERS):
            return JsonResponse({"detail": "NUL characters are not allowed in request bodies."}, status=400)
        return self.get_response(request)
