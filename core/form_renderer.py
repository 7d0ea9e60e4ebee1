"""Django's form renderer, with its most used widgets written in Python.

Every admin changelist renders its actions form: a select of actions, an option template per action, an
attributes template per option and a hidden input, each a template pass. These widgets' HTML is
written here instead, byte for byte as Django's templates write it (``tests/core/test_form_renderer.py``
renders both ways). A template an installed app overrides is still rendered from its template.
"""

import html
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.safestring import SafeData

_WIDGETS = "django/forms/widgets/"
_OPTION = _WIDGETS + "select_option.html"
_DJANGOS = str(Path(django.forms.__file__).parent / "templates")


def _text(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (and ``{{ value }}``) under autoescaping."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/input.html``, included by each input type's template (the renderer strips
    what a template writes)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_text(value)}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _select(widget: dict[str, Any]) -> str | None:
    """``django/forms/widgets/select.html`` with ``select_option.html`` for each option."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION:
                return None  # a widget with its own option template
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_WRITERS = {
    _WIDGETS + "select.html": _select,
    **{
        _WIDGETS + f"{kind}.html": _input for kind in ("text", "hidden", "number", "email", "url", "password")
    },
}


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        write = _WRITERS.get(template_name)
        if write is not None and "widget" in context and self._all_djangos:
            written = write(context["widget"])
            if written is not None:
                return written
        return super().render(template_name, context, request)

    @cached_property
    def _all_djangos(self) -> bool:
        names = [*_WRITERS, _OPTION, _WIDGETS + "attrs.html", _WIDGETS + "input.html"]
        return all(self.get_template(name).origin.name.startswith(_DJANGOS) for name in names)
