from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from config.parsers import MAX_JSON_DEPTH, json_depth


class DepthLimitedJSONField(forms.JSONField):
    """Django's JSON form field, but a value nested absurdly deep is a form error, not a 500.

    Django catches only ``JSONDecodeError``; the decoder raises ``RecursionError`` on very deep input.
    """

    default_error_messages = {"too_deep": f"JSON may be nested at most {MAX_JSON_DEPTH} levels deep."}

    def to_python(self, value):
        try:
            converted = super().to_python(value)
        except RecursionError as exc:
            raise ValidationError(self.error_messages["too_deep"], code="too_deep") from exc
        if json_depth(converted) > MAX_JSON_DEPTH:
            raise ValidationError(self.error_messages["too_deep"], code="too_deep")
        return converted

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)


# For ModelAdmin.formfield_overrides and inlines: every JSON model field gets the limited form field.
JSON_FORMFIELD_OVERRIDES = {models.JSONField: {"form_class": DepthLimitedJSONField}}
