from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

# Below gunicorn's request-line limit (config/gunicorn.py), so an API client hears about a long URL in
# JSON from here rather than in gunicorn's own HTML page.
MAX_API_URL_LENGTH = 4096


class RequestGuardMiddleware:
    """Refuse requests that no view should have to handle, before any view runs.

    NUL characters cannot be stored in PostgreSQL text, so anywhere they reach a query (a search, a
    filter, an admin autocomplete, a write) they would surface as a database error, a 500. Refused here
    with a 400 in the path and query string of every request and as raw bytes in bodies under ``/api/``;
    the escaped ``\\u0000`` of JSON is refused by the parser (``api.parsers``), and Django's form
    fields refuse NUL in the admin's forms.

    Under ``/api/`` the answer is JSON, and bodies larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (or the
    larger limit ``API_UPLOAD_LIMITS`` gives an upload's path) are a 413:
    DRF parses JSON from the request stream, which bypasses Django's own check on ``request.body``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = (
            self._api_refusal(request) if request.path.startswith("/api/") else self._page_refusal(request)
        )
        return refusal or self.get_response(request)

    def _page_refusal(self, request) -> HttpResponseBadRequest | None:
        if _url_has_nul(request):
            return HttpResponseBadRequest(
                "NUL characters are not allowed in URLs.", content_type="text/plain"
            )
        return None

    def _api_refusal(self, request) -> JsonResponse | None:
        limit = settings.API_UPLOAD_LIMITS.get(request.path, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Content-Length header is not a number."}, status=400)
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"Request body is too large: {length} bytes, the limit is {limit}."}, status=413
            )
        if _url_has_nul(request):
            return JsonResponse({"detail": "NUL characters are not allowed in URLs."}, status=400)
        repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
        if repeated:
            # Every query parameter of the API takes one value; a second one is a mistake, not a choice.
            return JsonResponse({name: ["Give this parameter once."] for name in repeated}, status=400)
        url_length = len(request.get_full_path())
        if url_length > MAX_API_URL_LENGTH:
            return JsonResponse(
                {
                    "detail": f"The URL is too long: {url_length} characters, the limit is {MAX_API_URL_LENGTH}."
                },
                status=414,
            )
        # An uploaded file is the view's to judge (a UTF-16 export is full of NUL bytes); multipart's text
        # fields go through DRF's fields, which refuse NUL.
        multipart = request.content_type == "multipart/form-data"
        if length and not multipart and b"\x00" in request.body:
            return JsonResponse({"detail": "NUL characters are not allowed in request bodies."}, status=400)
        return None


def _url_has_nul(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path or "\x00" in query or "%00" in query
