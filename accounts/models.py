import uuid
from dataclasses import dataclass
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.functions import RandomUUID
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models, transaction
from django.db.models.functions import Cast, Lower, Now, Upper
from django.utils import timezone as dj_timezone

from accounts.validators import (
    validate_communication_preferences,
    validate_custom_hours,
    validate_json_object,
    validate_timezone,
)

models.CharField.register_lookup(Lower)  # `email__lower=` uses the unique index on lower(email)


class SubscriptionTier(models.TextChoices):
    FREE = "free", "Free"
    PRO = "pro", "Pro"
    ENTERPRISE = "enterprise", "Enterprise"


@dataclass(frozen=True)
class TierApiLimits:
    key_rate_limit_max: int  # the highest ``rate_limit`` (requests an hour) one key may have
    active_keys_max: int  # keys that are active and unexpired at once
    hourly_requests: int  # one ceiling per user an hour, across all their keys and their session


TIER_API_LIMITS: dict[str, TierApiLimits] = {
    SubscriptionTier.FREE: TierApiLimits(key_rate_limit_max=1_000, active_keys_max=5, hourly_requests=5_000),
    SubscriptionTier.PRO: TierApiLimits(
        key_rate_limit_max=10_000, active_keys_max=20, hourly_requests=50_000
    ),
    SubscriptionTier.ENTERPRISE: TierApiLimits(
        key_rate_limit_max=100_000, active_keys_max=100, hourly_requests=500_000
    ),
}

# Stories per calendar month; None means unlimited.
TIER_QUOTAS: dict[str, int | None] = {
    SubscriptionTier.FREE: 10,
    SubscriptionTier.PRO: 100,
    SubscriptionTier.ENTERPRISE: None,
}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__lower=(username or "").lower())

    @transaction.atomic
    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        tier = extra_fields.setdefault("subscription_tier", SubscriptionTier.FREE)
        extra_fields.setdefault("usage_quota", TIER_QUOTAS[tier])
        user = self.model(email=self.normalize_email(email).strip(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    # Plain `unique` satisfies Django's auth checks; the constraint on lower(email) makes it case-blind.
    email = models.EmailField("email address", max_length=254, unique=True)
    first_name = models.CharField(max_length=100, blank=True, default="", db_default="")
    last_name = models.CharField(max_length=100, blank=True, default="", db_default="")
    is_active = models.BooleanField(default=True, db_default=True)
    is_staff = models.BooleanField(default=False, db_default=False)
    is_superuser = models.BooleanField(
        "superuser status",
        default=False,
        db_default=False,
        help_text="Has every permission without them being assigned.",
    )
    timezone = models.CharField(
        max_length=64, default="UTC", db_default="UTC", validators=[validate_timezone]
    )
    external_auth_id = models.CharField(
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text="Subject identifier from an external identity provider.",
    )
    subscription_tier = models.CharField(
        max_length=20, choices=SubscriptionTier.choices, default=SubscriptionTier.FREE, db_default="free"
    )
    usage_quota = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=TIER_QUOTAS[SubscriptionTier.FREE],
        db_default=TIER_QUOTAS[SubscriptionTier.FREE],
        help_text="Stories per calendar month; empty means unlimited.",
    )
    created_at = models.DateTimeField(default=dj_timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        db_table = "users"
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with this email address already exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(subscription_tier__in=SubscriptionTier.values),
                name="accounts_user_tier_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="users_created_at_idx"),
            # The admin's reader search (``icontains`` on these, as UPPER(column::text) LIKE …): trigram
            # indexes on that very expression, so a search of 50,000 readers is not a scan of them all.
            *(
                GinIndex(
                    OpClass(Upper(Cast(column, models.TextField())), name="gin_trgm_ops"),
                    name=f"users_{short}_search_idx",
                )
                for column, short in [
                    ("email", "email"),
                    ("first_name", "first"),
                    ("last_name", "last"),
                    ("external_auth_id", "external"),
                ]
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email


def default_communication_preferences() -> dict:
    return {"email": True, "sms": False, "in_app": True}


# The themes the apps ship. The column stays free text (clients may define their own); the admin offers
# these, plus whatever a reader already has.
KNOWN_THEMES = ["modern", "classic", "light", "dark", "high-contrast"]


class UserPreferences(models.Model):
    """Created for every user by a database trigger, whichever path inserted the user."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preferences")
    theme = models.CharField(max_length=50, default="modern", db_default="modern")
    custom_hours = models.JSONField(null=True, blank=True, validators=[validate_custom_hours])
    communication_preferences = models.JSONField(
        default=default_communication_preferences,
        db_default=models.Value(default_communication_preferences(), models.JSONField()),
        validators=[validate_communication_preferences],
    )
    onboarding_completed = models.BooleanField(default=False, db_default=False)
    extra = models.JSONField(
        default=dict,
        db_default=models.Value({}, models.JSONField()),
        blank=True,
        validators=[validate_json_object],
    )
    created_at = models.DateTimeField(default=dj_timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        db_table = "user_preferences"
        verbose_name_plural = "user preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


class ApiKeyScope(models.TextChoices):
    CATALOG_WRITE = "catalog:write"
    REVIEWS_WRITE = "reviews:write"
    FAVORITES_WRITE = "favorites:write"
    COLLECTIONS_WRITE = "collections:write"
    STORIES_WRITE = "stories:write"


class ApiKey(models.Model):
    """A hashed, scoped key: ``folio_<prefix>_<secret>``. Only the SHA-256 of the secret is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    permissions = ArrayField(
        models.CharField(max_length=32, choices=ApiKeyScope.choices),
        default=list,
        blank=True,
        db_default="{}",
    )
    rate_limit = models.PositiveIntegerField(default=100, db_default=100, help_text="Requests per hour.")
    is_active = models.BooleanField(default=True, db_default=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = "api_keys"
        ordering = ["-created_at"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_limit__gte=1), name="accounts_apikey_rate_limit_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(permissions__contained_by=ApiKeyScope.values),
                name="accounts_apikey_scopes_known",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_keys_user_created_idx")]

    def __str__(self) -> str:
        return f"{self.name} (folio_{self.prefix}_…)"

    def is_usable(self) -> bool:
        return (
            self.is_active
            and self.user.is_active
            and (self.expires_at is None or self.expires_at > dj_timezone.now())
        )


class UserSession(AbstractBaseSession):
    """Django's database session, with the signed-in user's id copied into a column of its own, so that a
    request reads its session and its user in one statement (``accounts.sessions``).

    The column is a hint for that join, never trusted: the user is the one named in the signed session
    data, and a row whose column names someone else is read the long way. Hence no foreign key
    constraint: a session of a deleted user joins to nothing and signs in no one."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        db_table = "user_sessions"

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
