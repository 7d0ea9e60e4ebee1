"""The widgets ``core.form_renderer`` writes are the HTML Django's templates write."""

import pytest
from django import forms
from django.contrib.admin import helpers
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.form_renderer import FormRenderer

HOSTILE = "<b>\"Tom\" & 'Jerry'</b>"

WIDGETS = [
    (forms.Select(choices=[("", "---------"), ("a", "Apples"), (HOSTILE, HOSTILE)]), "a"),
    (forms.Select(choices=[("x", mark_safe("<i>safe</i>")), (1, 2), (None, "none")]), None),
    (forms.Select(choices=[("Fruit", [("a", "Apples"), ("b", "Pears")]), ("c", "Carrots")]), "b"),
    (forms.Select(attrs={"disabled": True, "required": False, "data-n": 0, HOSTILE: HOSTILE}), ""),
    (forms.SelectMultiple(choices=[(1, "one"), (2, "two"), (3, "three")]), [1, 3]),
    (forms.NullBooleanSelect(), None),
    (forms.HiddenInput(attrs={"class": "select-across"}), 0),
    (forms.HiddenInput(), None),
    (forms.TextInput(attrs={"size": 22, "autofocus": True}), HOSTILE),
    (forms.NumberInput(attrs={"min": 0, "max": 5}), 3),
    (forms.EmailInput(), "a@example.org"),
    (forms.URLInput(), ""),
    (forms.PasswordInput(render_value=True), "secret"),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_each_widget_is_the_html_djangos_templates_write(widget, value):
    attrs = {"id": "id_field", "aria-describedby": HOSTILE}
    expected = widget.render("field", value, attrs, renderer=DjangoTemplates())
    assert widget.render("field", value, attrs, renderer=FormRenderer()) == expected


def test_the_admin_action_form_is_djangos():
    form = helpers.ActionForm(auto_id=None)
    form.fields["action"].choices = [("", "---------"), ("delete_selected", "Delete selected books")]
    form.renderer = FormRenderer()
    written = "".join(str(field) for field in form)
    form.renderer = DjangoTemplates()
    assert written == "".join(str(field) for field in form)
    assert '<option value="delete_selected">Delete selected books</option>' in written


def test_a_widget_with_its_own_option_template_is_rendered_from_its_templates():
    class Radio(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Radio(choices=[("a", "Apples")])
    assert widget.render("f", "a", renderer=FormRenderer()) == widget.render(
        "f", "a", renderer=DjangoTemplates()
    )


def test_the_project_uses_it_and_no_installed_app_overrides_the_widgets_it_writes(settings):
    assert settings.FORM_RENDERER == "core.form_renderer.FormRenderer"
    assert FormRenderer()._all_djangos
