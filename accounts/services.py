import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from accounts import personal_data
from accounts.models import TIER_API_LIMITS, TIER_QUOTAS, ApiKey, ApiKeyScope, User, UserPreferences
from accounts.selectors import api_key_active_count
from core.errors import ConflictError
from core.services import UNSET, given, insert_or_conflict, model_update
from ratelimits.services import rate_limit_give_back, rate_limit_hit

API_KEY_PREFIX = "folio"
LAST_USED_RESOLUTION = timedelta(minutes=1)


# --- users -----------------------------------------------------------------------------------------

EMAIL_TAKEN = "A user with this email address already exists."


def user_create(
    *,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    timezone_name: str = "UTC",
    **extra_fields,
) -> User:
    """Create a user (its preferences come from the database trigger). Duplicate email → ValidationError."""
    email = User.objects.normalize_email(email).strip()
    candidate = User(email=email, first_name=first_name, last_name=last_name, timezone=timezone_name)
    if password is not None:
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    if User.objects.filter(email__lower=email.lower()).exists():
        raise ConflictError({"email": [EMAIL_TAKEN]})
    return insert_or_conflict(  # a concurrent registration may win the race
        lambda: User.objects.create_user(
            email,
            password,
            first_name=first_name,
            last_name=last_name,
            timezone=timezone_name,
            **extra_fields,
        ),
        conflict=ConflictError({"email": [EMAIL_TAKEN]}),
    )


USER_EDITABLE_FIELDS = frozenset({"first_name", "last_name", "timezone"})


def user_update(
    *, user: User, first_name: str = UNSET, last_name: str = UNSET, timezone: str = UNSET
) -> User:
    """Users may change their names and timezone, nothing else (no tier, quota, staff or identity)."""
    data = given(locals(), USER_EDITABLE_FIELDS)
    return model_update(instance=user, fields=USER_EDITABLE_FIELDS, data=data, clean_exclude=("password",))


# What staff may change on an account besides what its owner may (the admin's user page).
STAFF_EDITABLE_FIELDS = USER_EDITABLE_FIELDS | {
    "email",
    "subscription_tier",
    "usage_quota",
    "external_auth_id",
    "is_active",
    "is_staff",
    "is_superuser",
}


def user_staff_update(
    *,
    user: User,
    email: str = UNSET,
    first_name: str = UNSET,
    last_name: str = UNSET,
    timezone: str = UNSET,
    subscription_tier: str = UNSET,
    usage_quota: int | None = UNSET,
    external_auth_id: str | None = UNSET,
    is_active: bool = UNSET,
    is_staff: bool = UNSET,
    is_superuser: bool = UNSET,
) -> User:
    """Staff's changes to an account. A new tier brings that tier's story quota unless a quota is given in
    the same change; an email another account holds (in any letter case) is a conflict."""
    data = given(locals(), STAFF_EDITABLE_FIELDS)
    if "subscription_tier" in data and "usage_quota" not in data:
        data["usage_quota"] = TIER_QUOTAS[data["subscription_tier"]]
    if "email" in data:
        data["email"] = User.objects.normalize_email(data["email"]).strip()
        if User.objects.filter(email__lower=data["email"].lower()).exclude(pk=user.pk).exists():
            raise ConflictError({"email": [EMAIL_TAKEN]})
    return insert_or_conflict(
        lambda: model_update(
            instance=user, fields=STAFF_EDITABLE_FIELDS, data=data, clean_exclude=("password",)
        ),
        conflict=ConflictError({"email": [EMAIL_TAKEN]}),
    )


def user_set_tier(*, user: User, tier: str) -> User:
    user.subscription_tier = tier
    user.usage_quota = TIER_QUOTAS[tier]
    user.save(update_fields=["subscription_tier", "usage_quota", "updated_at"])
    return user


def user_change_password(*, user: User, current_password: str, new_password: str) -> User:
    if not user.check_password(current_password):
        raise ValidationError({"current_password": "The current password is not correct."})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    return user


@transaction.atomic
def user_delete(*, user: User, password: str) -> None:
    """Delete the account and everything it owns, through the database's cascades (so whatever an app
    keeps of the reader goes, and the book ratings its reviews fed stay exact through their triggers).
    The current password is required; files the apps keep are removed after the commit."""
    if not user.check_password(password):
        raise ValidationError({"password": "The password is not correct."})
    after_commit = [cleanup(user) for cleanup in personal_data.cleanups()]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [user.pk])
    for run in after_commit:
        if run is not None:
            transaction.on_commit(run)


PREFERENCE_FIELDS = frozenset(
    {"theme", "custom_hours", "communication_preferences", "onboarding_completed", "extra"}
)


def user_preferences_update(
    *,
    preferences: UserPreferences,
    theme: str = UNSET,
    custom_hours: dict | None = UNSET,
    communication_preferences: dict = UNSET,
    onboarding_completed: bool = UNSET,
    extra: dict = UNSET,
) -> UserPreferences:
    data = given(locals(), PREFERENCE_FIELDS)
    return model_update(instance=preferences, fields=PREFERENCE_FIELDS, data=data, clean_exclude=("user",))


# --- login lock-out ------------------------------------------------------------------


class LoginLocked(Exception):
    """Too many sign-in attempts for this account or from this client; try again after ``retry_after``."""

    def __init__(self, retry_after: int):
        super().__init__("Too many failed sign-in attempts. Try again later.")
        self.retry_after = retry_after


def _login_buckets(email: str, client_ident: str) -> tuple[str, str]:
    return f"login-attempt:email:{email.strip().lower()}", f"login-attempt:client:{client_ident}"


def login_attempt(
    *, request: HttpRequest | None, email: str, password: str, client_ident: str
) -> User | None:
    """Check a password under the sign-in lock-out, for every sign-in form (the API and the admin).

    The attempt is counted before the password is checked, atomically, so however many guesses race only
    ``LOGIN_FAILURE_LIMIT`` per account (and four times that per client) are ever evaluated in a window;
    the rest raise LoginLocked. A successful sign-in gives its attempt back, so a user who signs in often
    is never locked out by it. Returns the user, or None for a wrong email or password.
    """
    window = settings.LOGIN_COOLOFF_SECONDS
    limit = settings.LOGIN_FAILURE_LIMIT
    email_bucket, client_bucket = _login_buckets(email, client_ident)
    counted = [
        rate_limit_hit(bucket=email_bucket, limit=limit, window_seconds=window),
        rate_limit_hit(bucket=client_bucket, limit=limit * 4, window_seconds=window),
    ]
    refused = [result for result in counted if not result.allowed]
    if refused:
        raise LoginLocked(retry_after=max(result.retry_after for result in refused))
    user = authenticate(request, username=email, password=password)
    if user is not None:
        for bucket in (email_bucket, client_bucket):
            rate_limit_give_back(bucket=bucket, window_seconds=window)
    return user


# --- API keys ----------------------------------------------------------------------------------------


def api_key_hash(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is safe and keeps verification well under 1 ms.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *,
    user: User,
    name: str,
    permissions: list[str],
    rate_limit: int = 100,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with the full key string, which is never stored and shown only now.

    The tier caps a key's ``rate_limit`` and how many keys are active at once; the user's row is locked
    while counting, so concurrent creations cannot pass the cap together.
    """
    user = _api_key_check(user=user, permissions=permissions, rate_limit=rate_limit, expires_at=expires_at)
    _api_key_check_room(user=user)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        user=user,
        name=name,
        prefix=secrets.token_hex(6),
        secret_hash=api_key_hash(secret),
        permissions=sorted(set(permissions)),
        rate_limit=rate_limit,
        expires_at=expires_at,
    )
    key.full_clean()
    key.save()
    return key, f"{API_KEY_PREFIX}_{key.prefix}_{secret}"


def _api_key_check(
    *, user: User, permissions: list[str], rate_limit: int, expires_at: datetime | None
) -> User:
    """Refuse what the owner's account may not hold; return the owner, its row locked (in a transaction)
    so that concurrent creations and reactivations are counted one after another."""
    if ApiKeyScope.CATALOG_WRITE in permissions and not user.is_staff:
        raise ValidationError({"permissions": "Only staff accounts can hold the catalog:write scope."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    user = User.objects.select_for_update().get(pk=user.pk)
    limits = TIER_API_LIMITS[user.subscription_tier]
    if rate_limit > limits.key_rate_limit_max:
        raise ValidationError(
            {
                "rate_limit": f"At most {limits.key_rate_limit_max:,} requests an hour per key on the "
                f"{user.subscription_tier} plan."
            }
        )
    return user


def _api_key_check_room(*, user: User) -> None:
    limits = TIER_API_LIMITS[user.subscription_tier]
    if api_key_active_count(user=user) >= limits.active_keys_max:
        raise ConflictError(
            f"The {user.subscription_tier} plan allows {limits.active_keys_max} active keys; revoke one first."
        )


API_KEY_EDITABLE_FIELDS = frozenset({"name", "permissions", "rate_limit", "is_active", "expires_at"})


@transaction.atomic
def api_key_update(
    *,
    api_key: ApiKey,
    name: str = UNSET,
    permissions: list[str] = UNSET,
    rate_limit: int = UNSET,
    is_active: bool = UNSET,
    expires_at: datetime | None = UNSET,
) -> ApiKey:
    """Staff's changes to a key, under the rules of creating one: the owner's plan caps the rate limit and
    the active keys (a key switched back on counts), catalog:write is for staff, an expiry lies ahead."""
    data = given(locals(), API_KEY_EDITABLE_FIELDS)
    if "permissions" in data:
        data["permissions"] = sorted(set(data["permissions"]))
    # Only what changes is judged (compared with the stored row: a form may have set the instance
    # already), so a key made under an earlier plan can still be renamed.
    stored = ApiKey.objects.select_related("user").get(pk=api_key.pk)
    changed = {name: value for name, value in data.items() if value != getattr(stored, name)}
    owner = _api_key_check(
        user=stored.user,
        permissions=changed.get("permissions", []),
        rate_limit=changed.get("rate_limit", 0),
        expires_at=changed.get("expires_at"),
    )
    if changed.get("is_active"):
        _api_key_check_room(user=owner)
    return model_update(instance=api_key, fields=API_KEY_EDITABLE_FIELDS, data=data)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    ApiKey.objects.filter(pk=api_key.pk).update(is_active=False)
    api_key.is_active = False
    return api_key


def api_key_touch(*, api_key: ApiKey) -> None:
    """Record use at most once a minute: a conditional UPDATE that usually matches no row."""
    now = timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)


# --- readers known only by a number (ratings imports) ---------------------------------------------------

READER_EMAIL = "reader{}@example.invalid"

# Readers known only by a number get a plausible display name (reviews show "First L."), the same one on
# every import.
FIRST_NAMES = [
    "Ada", "Ben", "Chloé", "Dmitri", "Elena", "Farah", "Gabriel", "Hana", "Ibrahim", "Jonas", "Keiko", "Liam",
    "Maya", "Nikolai", "Olivia", "Pablo", "Quinn", "Rosa", "Samuel", "Tomás", "Uma", "Victor", "Wen", "Yusuf",
    "Zoë", "Amara", "Björn", "Carmen", "Dev", "Esther", "Felix", "Greta", "Hugo", "Iris", "Jamal", "Klara",
]  # fmt: skip
LAST_NAMES = [
    "Adams", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ivanova", "Jensen", "Kowalski",
    "Lambert", "Moreau", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi", "Silva", "Tanaka", "Ueda", "Varga",
    "Walsh", "Xu", "Yilmaz", "Zimmermann",
]  # fmt: skip


@transaction.atomic
def placeholder_readers_ensure(*, source_user_ids: set[int]) -> int:
    """Accounts ``reader<id>@example.invalid`` (unusable passwords, display names) for readers an import
    knows only by number, created in one statement; returns how many were new."""
    if not source_user_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE source_readers (source_user_id integer) ON COMMIT DROP")
        with cursor.copy("COPY source_readers FROM STDIN") as copy:
            copy.write("".join(f"{uid}\n" for uid in source_user_ids))
        cursor.execute(
            """
            INSERT INTO users (email, password, first_name, last_name)
            SELECT replace(%s, '{}', source_user_id::text), %s,
                   (%s::text[])[1 + source_user_id %% %s], (%s::text[])[1 + (source_user_id / %s) %% %s]
            FROM source_readers
            ON CONFLICT DO NOTHING
            """,
            [
                READER_EMAIL,
                make_password(None),
                FIRST_NAMES,
                len(FIRST_NAMES),
                LAST_NAMES,
                len(FIRST_NAMES),
                len(LAST_NAMES),
            ],
        )
        created = cursor.rowcount
        cursor.execute("DROP TABLE source_readers")  # a second import in the transaction
    return created
