import datetime
import functools
from collections.abc import Collection, Mapping
from typing import Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from core.errors import ConflictError, QuotaExceededError
from core.json import TOO_DEEP, json_problem

SERVICE_ERRORS = (ValidationError, ConflictError, QuotaExceededError)


class SafeJSONField(forms.JSONField):
    """Django's JSON form field, refusing what the API's parser refuses (see ``api.parsers``).

    Django catches only ``JSONDecodeError``; very deep input raises ``RecursionError`` and a lone
    surrogate fails only in PostgreSQL, both 500s. Here they are form errors.
    """

    def to_python(self, value):
        try:
            converted = super().to_python(value)
        except RecursionError as exc:
            raise ValidationError(f"JSON {TOO_DEEP}.", code="invalid") from exc
        problem = json_problem(converted)
        if problem:
            raise ValidationError(f"JSON {problem}.", code="invalid")
        return converted

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)


class _OnlyParseableSelection:
    """To redisplay a form, Django's autocomplete widgets look the submitted ids up in the database; an id
    the key cannot parse (``"nope"`` for a UUID) raises mid-render, a 500 instead of the form's own
    "Select a valid choice" error. Such ids are left out of the lookup."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [item for item in value if _parses(key, item)], attr)


def _parses(field: models.Field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class SafeAutocompleteSelect(_OnlyParseableSelection, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_OnlyParseableSelection, AutocompleteSelectMultiple):
    pass


class SafeFormsAdminMixin:
    """For every ModelAdmin and inline: JSON fields that refuse what PostgreSQL cannot hold, and
    autocomplete widgets that survive ids that are not ids."""

    formfield_overrides: Mapping[type[models.Field], Mapping[str, Any]] = {
        models.JSONField: {"form_class": SafeJSONField}
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _messages_by_field(error: Exception) -> dict:
    if isinstance(error, ValidationError):
        return error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    detail = error.args[0] if error.args else str(error)
    return detail if isinstance(detail, dict) else {None: [str(detail)]}


class ServiceErrorsAdminMixin:
    """A service may refuse a save only the database can judge (a quota, a name taken meanwhile) after
    the form was valid, from ``save_model`` or ``save_related``; Django's admin would answer 500. Here
    the save's transaction is rolled back and the page is shown again with the message on its field."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SERVICE_ERRORS as error:
            if request.method != "POST" or hasattr(request, "_service_error"):
                raise
            request._service_error = error  # the second pass shows it instead of saving
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # ``change`` travels as a keyword: Django's UserAdmin.get_form takes it only through **kwargs.
        form = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_service_error", None)
        if error is None:
            return form

        class RefusedByService(form):
            def clean(self):
                cleaned = super().clean()
                for field, messages in _messages_by_field(error).items():
                    self.add_error(field if field in self.fields else None, messages)
                return cleaned

        return RefusedByService


class ServiceWritesAdminMixin(ServiceErrorsAdminMixin):
    """A model saved and deleted through its app's services, as the API saves it: the same rules,
    quotas and race-safe uniqueness hold for staff. A subclass names the form fields the services take
    and says how to create, update and delete; a service's refusal is shown on the page.

    A new row gets every field of the form the services take; a change only the fields the curator
    changed, so that a rule about what changes (a new tier brings its quota) sees what a person did."""

    service_fields: Collection[str] = ()

    def create_through_service(self, form: forms.ModelForm, fields: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update_through_service(self, obj: Any, fields: dict[str, Any]) -> None:
        raise NotImplementedError

    def delete_through_service(self, obj: Any) -> None:
        obj.delete()

    def save_model(self, request, obj, form, change):
        names = [name for name in self.service_fields if name in form.cleaned_data]
        if change:
            self.update_through_service(
                obj, {name: form.cleaned_data[name] for name in form.changed_data if name in names}
            )
        else:
            # The admin goes on with ``obj`` (inlines, the change message), so it becomes the saved row.
            created = self.create_through_service(form, {name: form.cleaned_data[name] for name in names})
            obj.pk, obj._state.adding = created.pk, False

    def delete_model(self, request, obj):
        self.delete_through_service(obj)


def two_lines(first: str, second: str) -> str:
    """A changelist cell of two clipped lines (the whole text in each tooltip), so that wide text does
    not push the other columns off a 1,280 px screen."""
    first, second = conditional_escape(first), conditional_escape(second)  # each escaped once, used twice
    return SafeString(  # mark_safe without its lazy-argument check (a cell a row)
        f'<span class="folio-clip" title="{first}">{first}</span><br>'
        f'<span class="folio-clip help" title="{second}">{second}</span>'
    )


def short_date(moment) -> str:
    """A changelist's date column: the day in the curator's time zone, in the locale's short format."""
    if not moment:
        return "—"
    return _short_date(timezone.localdate(moment), get_format("SHORT_DATE_FORMAT"))


@functools.lru_cache(maxsize=4096)
def _short_date(day: datetime.date, format_string: str) -> str:
    # A page of rows shares a handful of days: each is formatted once (a day's text never changes).
    return dateformat.format(day, format_string)
