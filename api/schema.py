from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

# A UUID exactly as the ids in URLs are written; anything else does not route (a 404, never a 400).
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

ERROR_SCHEMA = {
    "type": "object",
    "description": 'Either `{"detail": "<message>"}` or `{"<field>": ["<message>", …]}`.',
    "additionalProperties": True,
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input; the body names each offending field.",
    "401": "Authentication missing or invalid.",
    "403": "Authenticated, but not allowed (missing scope, not staff, or CSRF).",
    "404": "Not found, or not visible to you.",
    "405": "Method not allowed.",
    "409": "Conflicts with existing data.",
    "413": "Request body too large.",
    "414": "URL longer than 4,096 characters.",
    "429": "Rate limit or quota exceeded; see the Retry-After header.",
}


class AutoSchema(SpectacularAutoSchema):
    """Declares the error responses each operation can return, so clients and fuzzers know them, and
    marks authentication optional wherever the view's permissions let an anonymous request through."""

    def get_auth(self):
        auths = super().get_auth()
        if {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def _anonymous_allowed(self) -> bool:
        request = Request(APIRequestFactory().generic(self.method, self.path))
        request.user = AnonymousUser()
        return all(
            permission.has_permission(request, self.view) for permission in self.view.get_permissions()
        )

    def _get_request_body(self, direction="request"):
        # drf-spectacular documents bodies for POST, PUT and PATCH only; a DELETE that declares one
        # (``extend_schema(request=…)``, as deleting an account asks for the password) is documented too.
        declared = "get_request_serializer" in type(self).__dict__
        if self.method == "DELETE" and declared:
            self.method = "POST"
            try:
                return super()._get_request_body(direction)
            finally:
                self.method = "DELETE"
        return super()._get_request_body(direction)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # 400 for bad query parameters too; 404 also for a page past the end of a list.
        codes = ["400", "429", "405", "404", "414"]
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if writes:
            codes += ["409", "413"]
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        elif writes:
            codes.append("403")  # CSRF on session-authenticated writes
        for code in codes:
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(response=OpenApiTypes.OBJECT, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    direction=direction,
                ),
            )
        return responses


# Text PostgreSQL can store: no NUL (``api.parsers`` refuses it with a 400, as it does a lone
# surrogate, which JSON Schema's regular expressions cannot name).
STORABLE_TEXT = "^[^\\u0000]*$"
NON_BLANK_TEXT = "^[^\\u0000]*[^\\u0000\\s\\u001c-\\u001f][^\\u0000]*$"


# Any JSON value PostgreSQL's jsonb can hold (fields typed with this accept nesting up to 32 levels).
STORABLE_JSON = {
    "nullable": True,
    "anyOf": [
        {"type": "string", "pattern": STORABLE_TEXT},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "array", "items": {"$ref": "#/components/schemas/StorableJSON"}},
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/StorableJSON"}},
    ],
}


def close_request_bodies(result, generator, request, public):
    """Say in the schema what the API enforces: request bodies take only their declared fields (others are
    a 400, ``api.serializers``), and text fields and query strings hold only storable text."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["StorableJSON"] = STORABLE_JSON
    for name, component in schemas.items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST names every request body so
            _close(component)
    for operation in (op for path in result.get("paths", {}).values() for op in path.values()):
        if isinstance(operation, dict):
            for parameter in operation.get("parameters", []):
                _storable(parameter.get("schema", {}))
    return result


def _close(schema: dict) -> None:
    if schema.get("type") == "object" and "properties" in schema:
        schema.setdefault("additionalProperties", False)
        for field in schema["properties"].values():
            _close(field)
    elif schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        _close(schema["items"])
    else:
        _storable(schema)


def _storable(schema: dict) -> None:
    if schema.get("type") == "string" and not ({"pattern", "format", "enum"} & schema.keys()):
        # DRF trims text fields, so one that may not be blank needs a character that is not whitespace
        # (Python's str.isspace, which also counts the separators U+001C to U+001F).
        schema["pattern"] = NON_BLANK_TEXT if schema.get("minLength", 0) >= 1 else STORABLE_TEXT
