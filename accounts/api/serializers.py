from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import ApiKey, ApiKeyScope, User, UserPreferences
from accounts.validators import (
    COMMUNICATION_CHANNELS,
    timezone_names,
    validate_communication_preferences,
    validate_custom_hours,
    validate_json_object,
    validate_timezone,
)
from api.serializers import StrictModelSerializer, StrictSerializer

PASSWORD_MIN_LENGTH = 8  # Django's MinimumLengthValidator default, which AUTH_PASSWORD_VALIDATORS uses
TIMEZONE_SCHEMA = {"type": "string", "enum": sorted(timezone_names())}
HH_MM_SCHEMA = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}


@extend_schema_field(TIMEZONE_SCHEMA)
class TimezoneField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=64, validators=[validate_timezone], **kwargs)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"start": HH_MM_SCHEMA, "end": HH_MM_SCHEMA, "timezone": TIMEZONE_SCHEMA},
        "required": ["start", "end"],
        "additionalProperties": False,
    }
)
class CustomHoursField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "properties": {channel: {"type": "boolean"} for channel in COMMUNICATION_CHANNELS},
        "additionalProperties": False,
    }
)
class CommunicationPreferencesField(serializers.JSONField):
    pass


class UserReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "timezone",
            "subscription_tier",
            "usage_quota",
            "is_staff",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class UserRegisterSerializer(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=128,
        style={"input_type": "password"},
        help_text="At least 8 characters, not entirely numeric, not a common password, not like your name.",
    )
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    timezone = TimezoneField(required=False, default="UTC")


class UserLoginSerializer(StrictSerializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class UserUpdateSerializer(StrictSerializer):
    """Only names and timezone; any other key in the body is a 400 naming it (StrictSerializer)."""

    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    timezone = TimezoneField(required=False)


class PasswordChangeSerializer(StrictSerializer):
    current_password = serializers.CharField(max_length=128)
    new_password = serializers.CharField(min_length=PASSWORD_MIN_LENGTH, max_length=128)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"$ref": "#/components/schemas/StorableJSON"},
        "description": "Free-form preferences of the client's own: any JSON object under 10,000 characters.",
    }
)
class FreeFormObjectField(serializers.JSONField):
    pass


class UserPreferencesSerializer(StrictModelSerializer):
    extra = FreeFormObjectField(required=False, validators=[validate_json_object])
    custom_hours = CustomHoursField(required=False, allow_null=True, validators=[validate_custom_hours])
    communication_preferences = CommunicationPreferencesField(
        required=False, validators=[validate_communication_preferences]
    )

    class Meta:
        model = UserPreferences
        fields = [
            "theme",
            "custom_hours",
            "communication_preferences",
            "onboarding_completed",
            "extra",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ApiKeyReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "prefix",
            "permissions",
            "rate_limit",
            "is_active",
            "last_used_at",
            "expires_at",
            "created_at",
        ]
        read_only_fields = fields


class ApiKeyCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    permissions = serializers.ListField(
        child=serializers.ChoiceField(choices=ApiKeyScope.choices),
        required=False,
        default=list,
        max_length=10,
    )
    rate_limit = serializers.IntegerField(
        min_value=1,
        max_value=100_000,
        required=False,
        default=100,
        help_text=(
            "Requests an hour for this key. The plan caps it: free 1,000, pro 10,000, enterprise 100,000. "
            "Active keys per user: free 5, pro 20, enterprise 100. All of a user's requests (every key and "
            "the session) share one hourly ceiling: free 5,000, pro 50,000, enterprise 500,000."
        ),
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ApiKeyCreatedSerializer(ApiKeyReadSerializer):
    key = serializers.CharField(read_only=True, help_text="The full key. Shown only in this response.")

    class Meta(ApiKeyReadSerializer.Meta):
        fields = [*ApiKeyReadSerializer.Meta.fields, "key"]
        read_only_fields = fields


class AccountDeleteSerializer(StrictSerializer):
    password = serializers.CharField(
        write_only=True, max_length=4096, trim_whitespace=False, help_text="Your current password."
    )
