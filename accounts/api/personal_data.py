"""The reader's data archive (``GET me/export/``): accounts' own sections, and the archive's serializer,
whose sections are whatever the apps registered (``accounts.personal_data``)."""

from django.utils import timezone
from rest_framework import serializers

from accounts import personal_data
from accounts.api.serializers import UserPreferencesSerializer, UserReadSerializer
from accounts.models import ApiKey, User


class ApiKeyExportSerializer(serializers.ModelSerializer):
    """A key's name and what it may do; never its secret, hash or prefix."""

    class Meta:
        model = ApiKey
        fields = [
            "name",
            "permissions",
            "rate_limit",
            "is_active",
            "last_used_at",
            "expires_at",
            "created_at",
        ]
        read_only_fields = fields


class PersonalDataArchiveSerializer(serializers.Serializer):
    exported_at = serializers.DateTimeField(read_only=True)

    def get_fields(self):
        fields = super().get_fields()
        for section in personal_data.sections():
            fields[section.name] = section.serializer(many=section.many, read_only=True)
        return fields


def personal_data_archive(*, user: User) -> dict:
    archive = {section.name: section.read(user) for section in personal_data.sections()}
    return PersonalDataArchiveSerializer({"exported_at": timezone.now(), **archive}).data


personal_data.register_section(
    personal_data.Section("profile", lambda user: user, UserReadSerializer, many=False)
)
personal_data.register_section(
    personal_data.Section("preferences", lambda user: user.preferences, UserPreferencesSerializer, many=False)
)
personal_data.register_section(
    personal_data.Section(
        "api_keys",
        lambda user: ApiKey.objects.filter(user=user).order_by("created_at"),
        ApiKeyExportSerializer,
    )
)
