import sys
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

HEALTH_TIMEOUT_SECONDS = 1.5
# A few threads so a database that hangs holds at most these; later checks wait for a free one and still
# answer within the timeout.
_health_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health")


def _database_state() -> dict:
    """Runs in a thread of its own: everything here may wait on the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT extname, extversion FROM pg_extension")
            extensions = dict(cursor.fetchall())
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return {"extensions": extensions, "pending": len(pending)}
    finally:
        connection.close()


class HealthView(APIView):
    """Liveness and readiness in one: the database answers (within 1.5 s), migrations are applied, and
    the extensions Folio needs are installed. 503 when the database is unreachable; ``degraded``, with the
    problems named, when it answers but something is missing."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "HealthResponse",
                {
                    "status": serializers.CharField(help_text="ok, or degraded (see problems)."),
                    "database": serializers.CharField(),
                    "migrations": serializers.CharField(help_text="applied or pending."),
                    "pgvector": serializers.CharField(allow_null=True),
                    "problems": serializers.ListField(child=serializers.CharField()),
                },
            ),
            503: inline_serializer(
                "HealthUnavailableResponse",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "problems": serializers.ListField(child=serializers.CharField()),
                },
            ),
        }
    )
    def get(self, request):
        check = _health_checks.submit(_database_state)
        try:
            state = check.result(timeout=HEALTH_TIMEOUT_SECONDS)
        except FuturesTimeout:
            return _unavailable(f"The database did not answer within {HEALTH_TIMEOUT_SECONDS:g} s.")
        except DatabaseError as exc:
            return _unavailable(f"The database is unreachable ({type(exc).__name__}).")
        problems = [
            f"The {name} extension is not installed."
            for name in settings.HEALTH_REQUIRED_EXTENSIONS
            if name not in state["extensions"]
        ]
        if state["pending"]:
            problems.append(f"{state['pending']} migration(s) are not applied.")
        return Response(
            {
                "status": "degraded" if problems else "ok",
                "database": "connected",
                "migrations": "pending" if state["pending"] else "applied",
                "pgvector": state["extensions"].get("vector"),
                "problems": problems,
            }
        )


def _unavailable(problem: str) -> Response:
    response = Response(
        {"status": "unavailable", "database": "disconnected", "problems": [problem]}, status=503
    )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


@csrf_exempt  # also the catch-all for unknown /api/ URLs, which must answer 404 whatever the method
def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


DATABASE_RETRY_AFTER_SECONDS = 5


def server_error(request):
    # Called while the exception is being handled: a lost database is an outage to wait out, not a bug.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    if _wants_json(request):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return defaults.server_error(request)


def database_unavailable(request) -> HttpResponse:
    message = "The database is unavailable; try again in a few seconds."
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def bad_request(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Permission denied."}, status=403)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason=""):
    if _wants_json(request):
        return JsonResponse({"detail": f"CSRF failed: {reason}"}, status=403)
    return csrf.csrf_failure(request, reason)


def landing(request):
    return render(request, "landing.html")
