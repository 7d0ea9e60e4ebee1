from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from config.parsers import MAX_JSON_DEPTH, json_problem


class SafeJSONField(forms.JSONField):
    """Django's JSON form field, refusing what the API's parser refuses (see ``config.parsers``).

    Django catches only ``JSONDecodeError``; very deep input raises ``RecursionError`` and a lone
    surrogate fails only in PostgreSQL, both 500s. Here they are form errors.
    """

    def to_python(self, value):
        try:
            converted = super().to_python(value)
        except RecursionError as exc:
            raise ValidationError(
                f"JSON nested deeper than {MAX_JSON_DEPTH} levels.", code="invalid"
            ) from exc
        problem = json_problem(converted)
        if problem:
            raise ValidationError(f"JSON {problem}.", code="invalid")
        return converted

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)


# For ModelAdmin.formfield_overrides and inlines: every JSON model field gets the safe form field.
JSON_FORMFIELD_OVERRIDES = {models.JSONField: {"form_class": SafeJSONField}}
