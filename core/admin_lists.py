"""Changelists that stay fast at every page size: Django's rows, rendered from a plan made once a page.

Django's ``items_for_result`` works out every cell from scratch: it looks the column's field up, reverses
the row's URL and parses the page's preserved filters, formats through ``format_html``, fetches static
URLs for boolean icons and renders each action checkbox through the form renderer's templates. A
100-row page spent three quarters of its time there. ``ChangelistPlan`` decides once per page what each
column is, how it is displayed, its classes and whether it links, and then writes each row as a few
string operations. The HTML is Django's, byte for byte (``tests/core/test_admin_lists.py`` compares the
two on every registered changelist).

Changelists with ``list_editable`` (a form per row) are left to Django's own rendering.
"""

import datetime
import html
import operator
import urllib.parse
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib.admin import AllValuesFieldListFilter, helpers
from django.contrib.admin.options import ModelAdmin
from django.contrib.admin.templatetags.admin_list import (  # type: ignore[attr-defined]
    _boolean_icon,
    _coerce_field_name,
    result_headers,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (  # type: ignore[attr-defined]
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import connection, models
from django.urls import NoReverseMatch
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

# Rows a page for the large tables (books, readers, reviews, keys, collections).
LIST_PER_PAGE = 50

# A stand-in primary key: the row's URL is reversed once with it, and each row puts its own in its place.
_PK_MARK = "folio0row0pk0mark"
# What ``reverse`` leaves unescaped in a URL's arguments.
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"
_TEXT_FIELDS = (models.CharField, models.TextField)
_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


def _html(value: Any) -> str:
    """Django's ``conditional_escape`` without its lazy-argument wrapper (called for every cell)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _is_blank(value: Any) -> bool:
    return isinstance(value, str) and value.strip() == ""


class _Column:
    """One ``list_display`` entry: how its cells are found and shown, decided for the whole page."""

    def __init__(self, cl: ChangeList, index: int, name: Any, empty: SafeString, link: bool, first: bool):
        self.name = name
        self.empty = empty
        self.model_admin = cl.model_admin
        self.tag = "th" if link and first else "td"
        self.link = link
        self.field: models.Field | None = None
        classes = [f"field-{_coerce_field_name(name, index)}"]
        try:
            field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            field = None
        if field is not None and not field.auto_created:
            self.field = field
            if isinstance(field, _NOWRAP_FIELDS):
                classes.append("nowrap")
        elif name == "action_checkbox":
            classes = ["action-checkbox"]
        self.classes = " ".join(classes)
        self.display: Callable[[Any], Any] = self._display_for(self.field)
        # A column that is not a model field: what lookup_field would find, looked up once when it is
        # the same for every row (the model admin's method, a callable, the primary key).
        self.method: Callable[[Any], Any] | None = None
        self.plain_numbers = not settings.USE_THOUSAND_SEPARATOR
        self.boolean = False
        if self.field is None:
            if field is not None:  # an auto-created field: its value, shown as a plain value
                self.method = operator.attrgetter(name)
            elif callable(name):
                self.method = name
            elif hasattr(self.model_admin, name) and name != "__str__":
                self.method = getattr(self.model_admin, name)
            if self.method is not None and field is None:
                self.empty = getattr(self.method, "empty_value_display", empty)
                self.boolean = getattr(self.method, "boolean", False)

    def _display_for(self, field: models.Field | None) -> Callable[[Any], Any]:
        """The cell's text for a value of a model field (Django's ``display_for_field``), the common
        kinds without its chain of checks."""
        if field is None:
            return lambda value: value  # not used: such columns go through lookup_field each row
        empty = self.empty
        link = self.link
        if isinstance(field.remote_field, models.ManyToOneRel):
            return lambda value: value  # the related object itself, read by the row
        if field.flatchoices:
            try:
                labels = dict(field.flatchoices)
            except TypeError:  # list-like choices: Django's own path makes them hashable
                return lambda value: display_for_field(value, field, empty, avoid_link=link)

            def choice(value):
                try:
                    return labels.get(value, empty)
                except TypeError:
                    return display_for_field(value, field, empty, avoid_link=link)

            return choice
        if isinstance(field, models.BooleanField):
            icons = {value: _boolean_icon(value) for value in (True, False, None)}
            return lambda value: (
                icons[value] if value is None or type(value) is bool else _boolean_icon(value)
            )
        if isinstance(field, models.DateTimeField):
            moment = _DateTimeDisplay(get_format("DATETIME_FORMAT"))
            empty_values = field.empty_values

            def datetime_cell(value):
                if type(value) is not datetime.datetime:
                    return display_for_field(value, field, empty, avoid_link=link)
                return empty if value in empty_values else moment(value)

            return datetime_cell
        if isinstance(field, _TEXT_FIELDS) and not isinstance(field, models.URLField):
            empty_values = field.empty_values

            def text(value):
                if type(value) is not str:  # what a str subclass or a stray type shows is Django's to say
                    return display_for_field(value, field, empty, avoid_link=link)
                return empty if value in empty_values else value

            return text
        return lambda value: display_for_field(value, field, empty, avoid_link=link)

    def cell(self, obj) -> tuple[Any, str]:
        """The cell's content (escaped later unless safe) and its classes, as ``items_for_result``."""
        field = self.field
        if field is not None:
            if isinstance(field.remote_field, models.ManyToOneRel):
                try:
                    related = getattr(obj, field.name)
                except ObjectDoesNotExist:
                    return self.empty, self.classes
                return (self.empty if related is None else related), self.classes
            value = getattr(obj, self.name)
            if _is_blank(value):
                value = ""
            return self.display(value), self.classes
        if self.method is not None:
            try:
                value = self.method(obj)
            except ObjectDoesNotExist:
                return self.empty, self.classes
            kind = type(value)
            if not self.boolean:  # the common kinds, as display_for_value shows them
                if kind is str or kind is SafeString:
                    return (value if value.strip() else self.empty), self.classes
                if kind is int and self.plain_numbers:
                    return str(value), self.classes
            if _is_blank(value):
                value = ""
            return self._shown(value, display_for_value(value, self.empty, self.boolean))
        try:
            _, attr, value = lookup_field(self.name, obj, self.model_admin)
        except ObjectDoesNotExist:
            return self.empty, self.classes
        empty = getattr(attr, "empty_value_display", self.empty)
        if _is_blank(value):
            value = ""
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        return self._shown(value, display_for_value(value, empty, boolean))

    def _shown(self, value: Any, shown: Any) -> tuple[Any, str]:
        if isinstance(value, (datetime.date, datetime.time)):
            return shown, f"{self.classes} nowrap"
        return shown, self.classes


class _DateTimeDisplay:
    """``formats.localize(timezone.template_localtime(value))`` for one page: the format is split into
    its pieces and the time zone found once, not for every cell."""

    def __init__(self, format_string: str):
        self.pieces = [
            (bool(index % 2), piece if index % 2 else dateformat.re_escaped.sub(r"\1", piece))
            for index, piece in enumerate(dateformat.re_formatchars.split(format_string))
            if piece
        ]
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None

    def __call__(self, value: datetime.datetime) -> str:
        if (
            self.zone is not None
            and not timezone.is_naive(value)
            and getattr(value, "convert_to_local_time", True)
        ):
            value = value.astimezone(self.zone)
        shown = dateformat.DateFormat(value)
        return "".join(str(getattr(shown, piece)()) if is_code else piece for is_code, piece in self.pieces)


class ChangelistPlan:
    """The rows of one changelist page, as Django's ``items_for_result`` writes them."""

    def __init__(self, cl: ChangeList):
        self.cl = cl
        empty = cl.model_admin.get_empty_value_display()
        self.columns: list[_Column] = []
        links = cl.list_display_links
        first = True
        for index, name in enumerate(cl.list_display):
            if links is None:
                link = False
            elif first and not links:
                link = True
            else:
                link = name in links
            self.columns.append(_Column(cl, index, name, empty, link, first))
            if link:
                first = False
        self.pk_attname = cl.lookup_opts.pk.attname
        self.url = self._row_url()
        # Django's own action checkbox renders a form widget's template per row; its HTML is written here.
        self.plain_checkbox = type(cl.model_admin).action_checkbox is ModelAdmin.action_checkbox
        self.checkbox_label = gettext("Select this object for an action - {}")

    def _row_url(self) -> tuple[str, str] | None:
        """The change URL around a row's quoted primary key, preserved filters included (reversed and
        parsed once instead of once a row)."""
        cl = self.cl
        try:
            url = cl.url_for_result(_MarkedRow(cl.pk_attname))  # type: ignore[arg-type]
        except NoReverseMatch:
            return None
        url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
        before, _, after = url.partition(_PK_MARK)
        return before, after

    def _checkbox(self, obj) -> SafeString:
        label = self.checkbox_label.format(_html(str(obj)))
        return SafeString(  # mark_safe without its lazy-argument check, once a row
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{_html(str(obj.pk))}" '
            f'class="action-select" aria-label="{label}">'
        )

    def _link(self, obj, text: str) -> str:
        if self.url is None:  # no change view to link to: the text alone, as Django
            return text
        cl = self.cl
        before, after = self.url
        pk = urllib.parse.quote(str(quote(getattr(obj, cl.pk_attname))), safe=_URL_SAFE)
        opener = ""
        if cl.is_popup:
            value = obj.serializable_value(str(cl.to_field) if cl.to_field else self.pk_attname)
            opener = f' data-popup-opener="{_html(value)}"'
        return f'<a href="{_html(before + pk + after)}"{opener}>{text}</a>'

    def row(self, obj) -> SafeString:
        cells = []
        for column in self.columns:
            if column.name == "action_checkbox" and self.plain_checkbox:
                shown, classes = self._checkbox(obj), column.classes
            else:
                shown, classes = column.cell(obj)
            text = _html(shown)
            if column.link:
                text = self._link(obj, text)
            cells.append(f'<{column.tag} class="{classes}">{text}</{column.tag}>')
        return SafeString("".join(cells))


class _MarkedRow:
    """Stands in for a row when the change URL is reversed with a marker for its primary key."""

    def __init__(self, pk_attname: str):
        setattr(self, pk_attname, _PK_MARK)


def result_rows(cl: ChangeList) -> list[SafeString]:
    """Each row of the page as one piece of HTML (its cells, without the ``<tr>``)."""
    plan = ChangelistPlan(cl)
    return [plan.row(obj) for obj in cl.result_list]


def results_table(cl: ChangeList) -> SafeString:
    """Django's ``admin/change_list_results.html`` for a changelist without ``list_editable``: the
    headers and the rows, written without the template's loops (a template pass per row and per
    header cost a third as much as the rows themselves)."""
    rows = result_rows(cl)
    if not rows:
        return mark_safe("\n\n\n")
    headers: list[dict[str, Any]] = list(result_headers(cl))
    sorted_fields = sum(1 for header in headers if header["sortable"] and header["sorted"])
    parts = ['\n\n\n<div class="results">\n<table id="result_list">\n<thead>\n<tr>\n']
    for header in headers:
        parts.append(f'\n<th scope="col"{header["class_attrib"]}>\n   ')
        if header["sortable"] and header["sort_priority"] > 0:
            parts.append(
                f'\n       <div class="sortoptions">\n'
                f'         <a class="sortremove" href="{_html(header["url_remove"])}" '
                f'title="{_html(gettext("Remove from sorting"))}"></a>\n         '
            )
            if sorted_fields > 1:
                priority = _html(header["sort_priority"])
                title = gettext("Sorting priority: %(priority_number)s") % {"priority_number": priority}
                parts.append(f'<span class="sortpriority" title="{title}">{priority}</span>')
            direction = "ascending" if header["ascending"] else "descending"
            parts.append(
                f'\n         <a href="{_html(header["url_toggle"])}" class="toggle {direction}" '
                f'title="{_html(gettext("Toggle sorting"))}"></a>\n       </div>\n   '
            )
        label = header["text"]  # capitalised as the template's ``capfirst``, which keeps markup safe
        text = capfirst(str(label))
        text = text if isinstance(label, SafeData) else _html(text)
        if header["sortable"]:
            text = f'<a href="{_html(header["url_primary"])}">{text}</a>'
        else:
            text = f"<span>{text}</span>"
        parts.append(f'\n   <div class="text">{text}</div>\n   <div class="clear"></div>\n</th>')
    parts.append("\n</tr>\n</thead>\n<tbody>\n")
    parts.extend(f"\n\n<tr>{row}</tr>\n" for row in rows)
    parts.append("\n</tbody>\n</table>\n</div>\n\n")
    return mark_safe("".join(parts))


class ColumnsChangeList(ChangeList):
    """A changelist whose page of rows reads only the columns its cells show: ``list_columns`` on the
    model admin, as for ``QuerySet.only()`` (``"book__title"`` for a joined table). A page of reviews
    read every column of the review, its book and its reader (password hash included) for a title, an
    email and four fields. Actions and counts still work on the full queryset."""

    def get_results(self, request):
        full = self.queryset
        self.queryset = full.only(*cast("ListColumnsMixin", self.model_admin).list_columns)
        try:
            super().get_results(request)
        finally:
            self.queryset = full


class ListColumnsMixin:
    """For a ModelAdmin with ``list_columns``: its changelist reads only those columns."""

    list_columns: list[str]

    def get_changelist(self, request, **kwargs):
        return ColumnsChangeList


class IndexedValuesListFilter(AllValuesFieldListFilter):
    """Django's filter by every value of a column, its choices read through the column's index.

    Django's ``SELECT DISTINCT`` reads the whole table (7 ms on 10,000 books); a recursive query that
    jumps from one value to the next in the index reads one index entry a value. For a column of the
    model's own table, indexed, on an admin whose queryset lists every row.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        # A list where Django keeps a queryset: both are only iterated.
        self.lookup_choices = distinct_values(model._meta.db_table, field.column)  # type: ignore[assignment]


def distinct_values(table: str, column: str) -> list[Any]:
    """The column's values in order, ``None`` last when a row holds NULL, one index probe a value."""
    table, column = connection.ops.quote_name(table), connection.ops.quote_name(column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE found(value, n) AS (
                (SELECT {column}, 1 FROM {table} WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 1)
                UNION ALL
                SELECT (SELECT {column} FROM {table} WHERE {column} > found.value ORDER BY {column} LIMIT 1),
                       found.n + 1
                FROM found WHERE found.value IS NOT NULL
            )
            SELECT value FROM (
                SELECT value, n FROM found WHERE value IS NOT NULL
                UNION ALL
                SELECT NULL, NULL WHERE EXISTS (SELECT 1 FROM {table} WHERE {column} IS NULL)
            ) everything ORDER BY n NULLS LAST
            """
        )
        return [value for (value,) in cursor.fetchall()]


# Sidebars written, per app list: the admin site gives every request with the same permissions the same
# list object (config.admin), so a list's sidebar for a path is the same HTML every time. Each entry holds
# its list, so no other list can take its id while it is kept.
_SIDEBARS: dict[int, tuple[list[dict], dict[str, SafeString]]] = {}
_SIDEBARS_KEPT = 512


def nav_sidebar(apps: list[dict], path: str) -> SafeString:
    """Django's ``admin/nav_sidebar.html`` (the app list without change links), without a template
    loop: on every admin page it cost more than a 50-row changelist's rows now do. Written once per app
    list and path."""
    kept = _SIDEBARS.get(id(apps))
    if kept is None or kept[0] is not apps:
        if len(_SIDEBARS) >= _SIDEBARS_KEPT:
            _SIDEBARS.clear()
        kept = _SIDEBARS[id(apps)] = (apps, {})
    by_path = kept[1]
    sidebar = by_path.get(path)
    if sidebar is None:
        if len(by_path) >= _SIDEBARS_KEPT:  # change pages each have their own path
            by_path.clear()
        sidebar = by_path[path] = _nav_sidebar(apps, path)
    return sidebar


def _nav_sidebar(apps: list[dict], path: str) -> SafeString:
    here = urllib.parse.quote(path)  # as the template's ``request.path|urlencode``
    parts = [
        f'<button class="sticky toggle-nav-sidebar" id="toggle-nav-sidebar" '
        f'aria-label="{_html(gettext("Toggle navigation"))}"></button>\n'
        f'<nav class="sticky" id="nav-sidebar" aria-label="{_html(gettext("Sidebar"))}">\n'
        f'  <input type="search" id="nav-filter"\n'
        f'         placeholder="{_html(gettext("Start typing to filter…"))}"\n'
        f'         aria-label="{_html(gettext("Filter navigation items"))}">\n'
    ]
    if not apps:
        parts.append(f"<p>{_html(gettext('You don’t have permission to view or edit anything.'))}</p>\n")
    headers = "".join(
        f'<th scope="col">{_html(gettext(text))}</th>'
        for text in ("Model name", "Add link", "Change or view list link")
    )
    for app in apps:
        label = _html(app["app_label"])
        current = " current-app" if app["app_url"] in here else ""
        title = gettext("Models in the %(name)s application") % {"name": _html(app["name"])}
        parts.append(
            f'<div class="app-{label} module{current}">\n<table>\n<caption>\n'
            f'<a href="{_html(app["app_url"])}" class="section" title="{title}">{_html(app["name"])}</a>\n'
            f'</caption>\n<thead class="visually-hidden">\n<tr>{headers}</tr>\n</thead>\n'
        )
        for model in app["models"]:
            name = _html(model["object_name"].lower())
            admin_url = model.get("admin_url")
            is_current = bool(admin_url) and admin_url in here
            parts.append(f'<tr class="model-{name}{" current-model" if is_current else ""}">\n')
            parts.append(f'<th scope="row" id="{label}-{name}">\n')
            if admin_url:
                aria = ' aria-current="page"' if is_current else ""
                parts.append(f'<a href="{_html(admin_url)}"{aria}>{_html(model["name"])}</a>\n')
            else:
                parts.append(f"{_html(model['name'])}\n")
            parts.append("</th>\n")
            if model.get("add_url"):
                parts.append(
                    f'<td><a href="{_html(model["add_url"])}" class="addlink" '
                    f'aria-describedby="{label}-{name}">{_html(gettext("Add"))}</a></td>\n'
                )
            else:
                parts.append("<td></td>\n")
            parts.append("</tr>\n")
        parts.append("</table>\n</div>\n")
    parts.append("</nav>\n")
    return mark_safe("".join(parts))
