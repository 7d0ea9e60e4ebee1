"""The pieces of a changelist page around its rows, written in Python with Django's HTML.

After the rows, a changelist page spent most of its time in template passes for small pieces: the
search form, each filter and each of its choices, the actions bar, each page link, the add link. Each
function here writes one of Django's admin templates (named in its docstring) from the same context
Django's inclusion tag would give it, byte for byte (``tests/core/test_admin_page.py`` renders every
changelist both ways). ``templates/admin/change_list.html`` uses them through ``folio_admin`` tags.

A project or app template overriding one of these templates (``admin/<app>/<model>/pagination.html``
and the like, or a filter's own ``template``) is rendered by Django as before.
"""

import html
from typing import Any

from django.contrib.admin.templatetags.admin_list import pagination, paginator_number, search_form
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.template import Engine
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

DJANGOS_ADMIN_TEMPLATES = "/django/contrib/admin/templates/"


def _html(value: Any) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def is_djangos(engine: Engine, names: list[str]) -> bool:
    """Whether the first of these templates the engine finds is Django's own."""
    found = engine.select_template(names)
    return DJANGOS_ADMIN_TEMPLATES in str(found.origin.name).replace("\\", "/")


def admin_template_names(cl: ChangeList, name: str) -> list[str]:
    """Where an admin inclusion tag looks for ``name``, most specific first."""
    opts = cl.opts
    return [
        f"admin/{opts.app_label}/{opts.model_name}/{name}",
        f"admin/{opts.app_label}/{name}",
        f"admin/{name}",
    ]


def search_block(cl: ChangeList) -> SafeString:
    """``admin/search_form.html``."""
    if not cl.search_fields:
        return mark_safe("\n\n")
    context = search_form(cl)
    search_var = context["search_var"]
    described = ' aria-describedby="searchbar_helptext"' if cl.search_help_text else ""
    parts = [
        '\n\n<div id="toolbar"><form id="changelist-search" method="get" role="search">\n'
        "<div><!-- DIV needed for valid HTML -->\n"
        f'<label for="searchbar"><img src="{_html(_static("admin/img/search.svg"))}" alt="Search"></label>\n'
        f'<input type="text" size="40" name="{_html(search_var)}" value="{_html(cl.query)}" id="searchbar"'
        f"{described}>\n"
        f'<input type="submit" value="{_html(gettext("Search"))}">\n'
    ]
    if context["show_result_count"]:
        count = cl.result_count
        counted = ngettext("%(counter)s result", "%(counter)s results", count) % {"counter": _html(count)}
        query = ""
        if cl.is_popup:
            query += f"{_html(context['is_popup_var'])}=1"
            if cl.add_facets:
                query += "&"
        if cl.add_facets:
            query += _html(context["is_facets_var"])
        if cl.show_full_result_count:
            shown = gettext("%(full_result_count)s total") % {
                "full_result_count": _html(cl.full_result_count)
            }
        else:
            shown = _html(gettext("Show all"))
        parts.append(f'\n    <span class="small quiet">{counted} (<a href="?{query}">{shown}</a>)</span>\n')
    parts.append("\n")
    for name, value in cl.params.items():
        parts.append("\n    ")
        if name != search_var:
            parts.append(f'<input type="hidden" name="{_html(name)}" value="{_html(value)}">')
        parts.append("\n")
    parts.append("\n</div>\n")
    if cl.search_help_text:
        parts.append(
            f'\n<br class="clear">\n<div class="help" id="searchbar_helptext">{_html(cl.search_help_text)}</div>\n'
        )
    parts.append("\n</form></div>\n\n")
    return mark_safe("".join(parts))


def pagination_block(cl: ChangeList) -> SafeString:
    """``admin/pagination.html``."""
    context = pagination(cl)
    parts = ['\n\n<p class="paginator">\n']
    if context["pagination_required"]:
        parts.append("\n")
        for number in context["page_range"]:
            parts.append(f"\n    {paginator_number(cl, number)}\n")
        parts.append("\n")
    count = cl.result_count
    name = cl.opts.verbose_name if count == 1 else cl.opts.verbose_name_plural
    parts.append(f"\n{_html(count)} {_html(name)}\n")
    if context["show_all_url"]:
        parts.append(
            f'<a href="{_html(context["show_all_url"])}" class="showall">{_html(gettext("Show all"))}</a>'
        )
    parts.append("\n")
    if cl.formset and count:
        parts.append(f'<input type="submit" name="_save" class="default" value="{_html(gettext("Save"))}">')
    parts.append("\n</p>\n")
    return mark_safe("".join(parts))


def filter_block(cl: ChangeList, spec) -> SafeString:
    """``admin/filter.html`` for one filter."""
    title = spec.title
    parts = [
        f'\n<details data-filter-title="{_html(title)}" open>\n  <summary>\n    '
        f"{gettext(' By %(filter_title)s ') % {'filter_title': _html(title)}}\n  </summary>\n  <ul>\n  "
    ]
    for choice in spec.choices(cl):
        selected = ' class="selected"' if choice["selected"] else ""
        parts.append(
            f"\n    <li{selected}>\n"
            f'    <a href="{_html(iri_to_uri(choice["query_string"]))}">{_html(choice["display"])}</a></li>\n  '
        )
    parts.append("\n  </ul>\n</details>\n")
    return mark_safe("".join(parts))


def object_tools_block(context) -> SafeString:
    """``admin/change_list_object_tools.html``."""
    if not context.get("has_add_permission"):
        return mark_safe("\n\n\n  \n\n")
    cl = context["cl"]
    try:
        add_url = reverse(f"admin:{cl.opts.app_label}_{cl.opts.model_name}_add")
    except NoReverseMatch:
        add_url = ""
    url = add_preserved_filters(
        {"preserved_filters": context.get("preserved_filters"), "opts": cl.opts},
        add_url,
        context.get("is_popup"),
        context.get("to_field"),
    )
    label = gettext("Add %(name)s") % {"name": _html(cl.opts.verbose_name)}
    return mark_safe(
        f'\n\n\n  \n  <li>\n    \n    <a href="{_html(url)}" class="addlink">\n      {label}\n    </a>\n  </li>\n  \n\n'
    )


def actions_block(context, index: int) -> SafeString:
    """``admin/actions.html``."""
    cl = context["cl"]
    fields = []
    for field in context["action_form"]:
        if field.label:
            fields.append(f"<label>{_html(field.label)} {_html(field)}</label>")
        else:
            fields.append(_html(field))
    parts = [
        '\n<div class="actions">\n  \n    \n    ',
        "".join(fields),
        "\n    \n    \n    "
        f'<button type="submit" class="button" title="{_html(gettext("Run the selected action"))}" name="index" '
        f'value="{_html(index or 0)}">{_html(gettext("Go"))}</button>\n    \n    \n    ',
    ]
    if context.get("actions_selection_counter"):
        shown = len(cl.result_list)
        parts.append(
            f'\n        <span class="action-counter" data-actions-icnt="{shown}">'
            f"{_html(context.get('selection_note', ''))}</span>\n        "
        )
        if cl.result_count != shown:
            select_all = gettext("Select all %(total_count)s %(module_name)s") % {
                "total_count": _html(cl.result_count),
                "module_name": _html(context.get("module_name", "")),
            }
            title = _html(gettext("Click here to select the objects across all pages"))
            parts.append(
                f'\n        <span class="all hidden">{_html(context.get("selection_note_all", ""))}</span>\n'
                f'        <span class="question hidden">\n'
                f'            <a role="button" href="#" title="{title}">{select_all}</a>\n'
                f"        </span>\n"
                f'        <span class="clear hidden"><a role="button" href="#">'
                f"{_html(gettext('Clear selection'))}</a></span>\n        "
            )
        parts.append("\n    ")
    parts.append("\n    \n  \n</div>\n")
    return mark_safe("".join(parts))


def _static(path: str) -> str:
    from django.templatetags.static import static

    return static(path)


def capfirst_safe(value: Any) -> str:
    """``{{ value|capfirst }}`` under autoescaping."""
    text = str(value)
    shown = capfirst(text) or ""
    return shown if isinstance(text, SafeData) else html.escape(shown)
