import hmac

from django.db.models import Q, QuerySet
from django.db.models.functions import Now

from accounts.models import ApiKey, User


def user_get_by_external_auth_id(*, external_auth_id: str) -> User | None:
    """For identity-provider integrations: the user whose subject id is ``external_auth_id``."""
    if not external_auth_id:
        return None
    return User.objects.filter(external_auth_id=external_auth_id).first()


def api_key_list(*, user: User) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(user=user).order_by("-created_at")


def api_key_active_count(*, user: User) -> int:
    """Keys that still work: active and not expired."""
    return (
        ApiKey.objects.filter(user=user, is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=Now()))
        .count()
    )


def api_key_find(*, prefix: str, secret_hash: str) -> ApiKey | None:
    """The key with this prefix when the hash matches (compared in constant time)."""
    key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, secret_hash):
        return None
    return key
