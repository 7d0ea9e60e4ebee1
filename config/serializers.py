from collections.abc import Mapping

from rest_framework import serializers


class UnknownFieldsRefusedMixin:
    """A body key the serializer does not know is a 400 naming it, never silently dropped: a client's
    typo (``"ratng"``) or an attempt to set a field it may not (``"is_staff"``) is told so."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)


class StrictSerializer(UnknownFieldsRefusedMixin, serializers.Serializer):
    pass


class StrictModelSerializer(UnknownFieldsRefusedMixin, serializers.ModelSerializer):
    pass
