"""One JSON error shape for every failure under /api/."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from core.errors import ConflictError, QuotaExceededError

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This conflicts with the current state of the resource."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body is too large."
    default_code = "payload_too_large"


def api_exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        detail = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else str(exc)
        exc = Conflict(detail)
    elif isinstance(exc, QuotaExceededError):
        exc = exceptions.Throttled(wait=exc.retry_after, detail=str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, DataError):
        # A value the validators let through but the column refuses (length, range, encoding).
        logger.info("data error mapped to 400: %s", exc)
        exc = exceptions.ValidationError(
            {"detail": "A value is not acceptable (too long, out of range or malformed)."}
        )
    elif isinstance(exc, IntegrityError):
        # The constraint is the backstop for races the validators cannot see.
        logger.info("integrity error mapped to 409: %s", exc)
        exc = Conflict("This would duplicate or contradict existing data.")
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        # Errors are JSON even for a browser asking for the browsable API's HTML.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response
