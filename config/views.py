from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class HealthView(APIView):
    """Liveness and readiness in one: the database answers, migrations are applied, pgvector is there."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "HealthResponse",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "migrations": serializers.CharField(),
                    "pgvector": serializers.CharField(allow_null=True),
                },
            ),
            503: inline_serializer(
                "HealthUnavailableResponse",
                {"status": serializers.CharField(), "database": serializers.CharField()},
            ),
        }
    )
    def get(self, request):
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
                row = cursor.fetchone()
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError:
            connection.close()
            return Response({"status": "unavailable", "database": "disconnected"}, status=503)
        return Response(
            {
                "status": "ok" if not pending else "degraded",
                "database": "connected",
                "migrations": "applied" if not pending else "pending",
                "pgvector": row[0] if row else None,
            }
        )


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


@csrf_exempt  # also the catch-all for unknown /api/ URLs, which must answer 404 whatever the method
def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    return defaults.server_error(request)


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
