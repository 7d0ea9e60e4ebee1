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

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # 400 for bad query parameters too; 404 also for a page past the end of a list.
        codes = ["400", "429", "405", "404"]
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
