import copy
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.drainage import set_override
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

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


def row_value(instance, name: str):
    """``name`` of a row a selector read as a dictionary, or of a model instance (for methods and fields
    that serve both)."""
    return instance[name] if isinstance(instance, Mapping) else getattr(instance, name)


def _datetime_format_is_iso(field: serializers.DateTimeField) -> bool:
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return output_format is not None and output_format.lower() == ISO_8601


def _iso_text(zone) -> Callable[[datetime], str]:
    """DRF's ISO 8601 text of a datetime in ``zone`` (``…Z`` in UTC), without its per-value checks."""

    def text(value: datetime | str) -> str:
        if isinstance(value, str):  # already the text, as DRF passes it on (core.compiled.IsoTimestampLoader)
            return value
        written = value.astimezone(zone).isoformat() if zone is not None else value.isoformat()
        return written[:-6] + "Z" if written.endswith("+00:00") else written

    return text


# Fields whose representation of a value read from the database is the value itself (DRF would call
# str, int or bool on something already of that type) or, for UUIDs, its text.
_AS_READ = (serializers.CharField, serializers.IntegerField, serializers.BooleanField, PreparedField)
_CUSTOM_ATTRIBUTE = (serializers.Field.get_attribute, serializers.RelatedField.get_attribute)


# A ModelSerializer for responses that builds its fields from the model once per class, not once per
# response: DRF's model introspection (a field's kwargs from the model field, every time) costs a hot read
# about half a millisecond. Each serializer still gets its own copies of the fields.
#
# A row a selector read as a dictionary (``values()``, ``core.compiled.CompiledQuery``) is represented by a
# plan made once per serializer: for each field, where its value is and how it becomes JSON. The output is
# what DRF gives for the same model instance (tests compare the two), in a fraction of the time: no model
# objects are built for a page of rows, and no per-field calls are made where the database's value is
# already the answer. Model instances take DRF's own path. (No docstring: the schema would show it as the
# description of every serializer built on this one.)
class ReadModelSerializer(serializers.ModelSerializer):
    _fields_by_class: dict[type, dict[str, serializers.Field]] = {}
    _row_steps_by_class: dict[type, list] = {}

    def get_fields(self):
        built = self._fields_by_class.get(type(self))
        if built is None:
            built = self._fields_by_class[type(self)] = super().get_fields()
        return copy.deepcopy(built)

    def to_representation(self, instance):
        if not isinstance(instance, Mapping):
            return super().to_representation(instance)
        plan = self.__dict__.get("_row_plan") or self._row_plan()
        row = {}
        for name, key, read, represent in plan:
            value = instance[key] if read is None else read(instance)
            row[name] = value if value is None or represent is None else represent(value)
        return row

    def _row_plan(self) -> list[tuple[str | None, str, Callable | None, Callable | None]]:
        """The class's plan, made once from its fields (their deep copies cost a hot read more than its
        rows do), with what depends on this serializer resolved: its methods and the current time zone."""
        steps = self._row_steps_by_class.get(type(self))
        if steps is None:
            steps = self._row_steps_by_class[type(self)] = [
                self._row_step(field) for field in self._readable_fields
            ]
        zone = timezone.get_current_timezone() if settings.USE_TZ else None
        plan = []
        for name, key, read, represent in steps:
            if isinstance(read, str):  # a method of the serializer
                read = getattr(self, read)
            plan.append((name, key, read, _iso_text(zone) if represent is _iso_text else represent))
        self.__dict__["_row_plan"] = plan
        return plan

    @staticmethod
    def _row_step(field: serializers.Field) -> tuple[str | None, str, Callable | str | None, Callable | None]:
        """``(output name, row key, how to read it, how to represent it)``: reading None means the key,
        a text the serializer's method of that name; representing None means the value as it is and
        ``_iso_text`` DRF's datetime text in the current zone. Fields are bound once per class, so a
        field's own methods are used only where they depend on nothing but the field."""
        if isinstance(field, serializers.SerializerMethodField):
            return field.field_name, "", field.method_name, None
        if isinstance(field, serializers.RelatedField) and not isinstance(
            field, serializers.PrimaryKeyRelatedField
        ):
            raise ImproperlyConfigured(f"{field.field_name}: rows carry related keys, not related objects.")
        read = None if type(field).get_attribute in _CUSTOM_ATTRIBUTE else field.get_attribute
        key = "__".join(field.source_attrs)
        represent: Callable | None = field.to_representation
        if isinstance(field, _AS_READ):
            represent = None
        elif isinstance(field, serializers.UUIDField) and field.uuid_format == "hex_verbose":
            represent = str
        elif isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
            represent = None  # a values() row holds the related key itself
        elif isinstance(field, serializers.DateTimeField) and _datetime_format_is_iso(field):
            represent = _iso_text(field.timezone) if hasattr(field, "timezone") else _iso_text
        return field.field_name, key, read, represent
