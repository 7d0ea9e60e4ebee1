from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from accounts.selectors import api_key_find
from accounts.services import API_KEY_PREFIX, api_key_hash, api_key_touch

KEYWORD = "Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key folio_<prefix>_<secret>``. Keys in the query string are ignored.

    Scopes are enforced here, where every request passes: an unsafe method needs the view's
    ``required_scope`` among the key's permissions; views without one refuse key writes.
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request)
        if not header:
            return None
        parts = header.split()
        if parts[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Api-Key header: expected `Api-Key <key>`."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Malformed API key.")) from exc
        label, _sep, rest = raw.partition("_")
        prefix, _sep, secret = rest.partition("_")
        if label != API_KEY_PREFIX or not prefix or not secret or len(raw) > 200:
            raise exceptions.AuthenticationFailed(_("Malformed API key."))
        api_key = api_key_find(prefix=prefix, secret_hash=api_key_hash(secret))
        if api_key is None or not api_key.is_usable():
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired API key."))
        self._enforce_scope(request, api_key)
        api_key_touch(api_key=api_key)
        return api_key.user, api_key

    def _enforce_scope(self, request, api_key) -> None:
        if request.method in SAFE_METHODS:
            return
        view = (getattr(request, "parser_context", None) or {}).get("view")
        scope = getattr(view, "required_scope", None)
        if scope is None:
            raise exceptions.PermissionDenied(_("API keys cannot perform this action; sign in instead."))
        if scope not in api_key.permissions:
            raise exceptions.PermissionDenied(f"This API key lacks the “{scope}” scope.")

    def authenticate_header(self, request):
        return KEYWORD
