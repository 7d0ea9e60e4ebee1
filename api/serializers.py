import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.http import QueryDict
from drf_spectacular.drainage import set_override
from rest_framework import serializers

# The mixin goes in front of a DRF serializer; the type checker is told so.
if TYPE_CHECKING:
    _SerializerBase = serializers.Serializer
else:
    _SerializerBase = object

# What each kind of field takes from a JSON body. DRF would otherwise coerce: 0 into "0" for text,
# "5" into 5 for numbers, "yes" into true.
JSON_TYPES: list[tuple[type | tuple[type, ...], tuple[type, ...], str]] = [
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.IntegerField, (int,), "a whole number"),
    ((serializers.FloatField, serializers.DecimalField), (int, float), "a number"),
    ((serializers.CharField, serializers.ChoiceField), (str,), "a string"),
]


# Mixed into request serializers (no docstring, so the schema shows each serializer's own description):
# a body key the serializer does not know is a 400 naming it, never silently dropped, so a client's typo
# ("ratng") or an attempt to set a field it may not ("is_staff") is told so; and a JSON value of the wrong
# type is a 400 instead of being coerced.
class StrictInputMixin(_SerializerBase):
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
            wrong = self._too_long(data)
            if not isinstance(data, QueryDict):  # a form sends text for everything
                wrong = {**self._wrong_json_types(data), **wrong}
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)

    def _too_long(self, data: Mapping) -> dict[str, list[str]]:
        # DRF measures text after trimming it; the limit a client reads in the schema is on what it sends.
        wrong = {}
        for name, field in self.fields.items():
            value = data.get(name)
            limit = getattr(field, "max_length", None)
            if (
                isinstance(field, serializers.CharField)
                and isinstance(value, str)
                and limit
                and len(value) > limit
            ):
                wrong[name] = [f"Ensure this field has no more than {limit} characters."]
        return wrong

    def _wrong_json_types(self, data: Mapping) -> dict[str, list[str]]:
        wrong = {}
        for name, value in data.items():
            field = self.fields[name]
            if value is None or field.read_only:
                continue
            for field_types, value_types, wanted in JSON_TYPES:
                if isinstance(field, field_types):
                    if not isinstance(value, value_types) or (
                        bool not in value_types and isinstance(value, bool)
                    ):
                        wrong[name] = [f"Expected {wanted}."]
                    break
        return wrong


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    pass


class PreparedField(serializers.Field):
    """A read-only field whose value a selector has already shaped as ``schema`` (a serializer) would: the
    rows of a large nested read pass through as they are, instead of through a serializer call per field
    per row; the OpenAPI schema still shows ``schema``."""

    def __init__(self, schema: serializers.BaseSerializer, **kwargs):
        super().__init__(read_only=True, **kwargs)
        set_override(self, "field", schema)

    def to_representation(self, value):
        return value


# A ModelSerializer for responses that builds its fields from the model once per class, not once per
# response: DRF's model introspection (a field's kwargs from the model field, every time) costs a hot read
# about half a millisecond. Each serializer still gets its own copies of the fields. (No docstring: the
# schema would show it as the description of every serializer built on this one.)
class ReadModelSerializer(serializers.ModelSerializer):
    _fields_by_class: dict[type, dict[str, serializers.Field]] = {}

    def get_fields(self):
        built = self._fields_by_class.get(type(self))
        if built is None:
            built = self._fields_by_class[type(self)] = super().get_fields()
        return copy.deepcopy(built)
