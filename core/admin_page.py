"""The pieces of a changelist page around its rows, written in Python with Django's HTML.

After the rows, a changelist page spent most of its time in template passes for small pieces: the
search form, each filter and each of its choices, the actions bar, each page link, the add link. Each
function here writes one of Django's admin templates (named in its docstring) from the same context
Django's inclusion tag would give it, byte for byte (``tests/core/test_admin_page.py`` renders every
changelist both ways). ``templates/admin/change_list.html`` uses them through ``folio_admin`` tags.

A project or app template overriding one of these templates (``admin/<app>/<model>/pagination.html``
and the like, or a filter's own ``template``) is rendered by Django as before.
"""

import functools
import html
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import (
    admin_list_filter,
    pagination,
    paginator_number,
    search_form,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.contrib.messages import get_messages
from django.middleware.csrf import get_token
from django.template import Engine, engines
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext

from core.admin_lists import nav_sidebar, results_table

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
    return _static_url(settings.STATIC_URL, path)


@functools.lru_cache(maxsize=256)
def _static_url(static_url: str, path: str) -> str:
    # A static file's URL depends on nothing else while the process runs; looking it up in the storage
    # cost each page a dozen calls.
    from django.templatetags.static import static

    return static(path)


def capfirst_safe(value: Any) -> str:
    """``{{ value|capfirst }}`` under autoescaping."""
    text = str(value)
    shown = capfirst(text) or ""
    return shown if isinstance(text, SafeData) else html.escape(shown)


# --- the whole page ----------------------------------------------------------------------------------------

# The project's styles for its admin pages (``templates/admin/base_site.html`` adds them to every page).
ADMIN_STYLE = """<style>
  /* Long titles and emails are clipped (the full text is the tooltip), so lists fit a 1,280 px screen. */
  .folio-clip { display: inline-block; max-width: 22em; overflow: hidden; text-overflow: ellipsis;
                white-space: nowrap; vertical-align: bottom; }
  .folio-figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 20px; }
  .folio-figure { border: 1px solid var(--hairline-color); border-radius: 4px; padding: 10px 14px;
                  min-width: 9em; background: var(--darkened-bg); }
  .folio-figure strong { display: block; font-size: 1.6em; color: var(--body-fg); }
  .folio-chart { display: flex; align-items: flex-end; gap: 2px; height: 80px; margin: 6px 0 2px; }
  .folio-chart span { flex: 1; background: var(--button-bg); min-height: 1px; border-radius: 1px 1px 0 0; }
</style>"""

_SVGS = """<!-- SVGs -->
<svg xmlns="http://www.w3.org/2000/svg" class="base-svgs">
  <symbol viewBox="0 0 24 24" width="1.5rem" height="1.5rem" id="icon-auto"><path d="M0 0h24v24H0z" fill="currentColor"/><path d="M12 22C6.477 22 2 17.523 2 12S6.477 2 12 2s10 4.477 10 10-4.477 10-10 10zm0-2V4a8 8 0 1 0 0 16z"/></symbol>
  <symbol viewBox="0 0 24 24" width="1.5rem" height="1.5rem" id="icon-moon"><path d="M0 0h24v24H0z" fill="currentColor"/><path d="M10 7a7 7 0 0 0 12 4.9v.1c0 5.523-4.477 10-10 10S2 17.523 2 12 6.477 2 12 2h.1A6.979 6.979 0 0 0 10 7zm-6 5a8 8 0 0 0 15.062 3.762A9 9 0 0 1 8.238 4.938 7.999 7.999 0 0 0 4 12z"/></symbol>
  <symbol viewBox="0 0 24 24" width="1.5rem" height="1.5rem" id="icon-sun"><path d="M0 0h24v24H0z" fill="currentColor"/><path d="M12 18a6 6 0 1 1 0-12 6 6 0 0 1 0 12zm0-2a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM11 1h2v3h-2V1zm0 19h2v3h-2v-3zM3.515 4.929l1.414-1.414L7.05 5.636 5.636 7.05 3.515 4.93zM16.95 18.364l1.414-1.414 2.121 2.121-1.414 1.414-2.121-2.121zm2.121-14.85l1.414 1.415-2.121 2.121-1.414-1.414 2.121-2.121zM5.636 16.95l1.414 1.414-2.121 2.121-1.414-1.414 2.121-2.121zM23 11v2h-3v-2h3zM4 11v2H1v-2h3z"/></symbol>
</svg>
<!-- END SVGs -->
"""


def _theme_toggle() -> str:
    """``admin/color_theme_toggle.html``."""
    labels = "".join(
        f'  <span class="visually-hidden theme-label-when-{theme}">'
        f"{_html(gettext(f'Toggle theme (current theme: {theme})'))}</span>\n"
        for theme in ("auto", "light", "dark")
    )
    icons = "".join(
        f'  <svg aria-hidden="true" class="theme-icon-when-{theme}">\n    <use xlink:href="#icon-{icon}" />\n  </svg>\n'
        for theme, icon in (("auto", "auto"), ("dark", "moon"), ("light", "sun"))
    )
    return f'\n<button class="theme-toggle">\n{labels}{icons}</button>\n'


def _usertools(context, request, csrf_input: str) -> str:
    """The ``usertools`` block of ``admin/base.html``."""
    if not context.get("has_permission"):
        return "\n        \n        "
    user = request.user
    name = user.get_short_name() or user.get_username()
    parts = [
        '\n        \n        <div id="user-tools">\n            \n'
        f"                {_html(gettext('Welcome,'))}\n"
        f"                <strong>{_html(name)}</strong>.\n            \n            \n                "
    ]
    if context.get("site_url"):
        parts.append(
            f'\n                    <a href="{_html(context["site_url"])}">{_html(gettext("View site"))}</a> /\n'
            "                "
        )
    parts.append("\n                ")
    if user.is_active and user.is_staff:
        parts.append("\n                    \n                    ")
        try:
            docs = reverse("django-admindocs-docroot")
        except NoReverseMatch:
            docs = ""
        if docs:
            parts.append(
                f'\n                        <a href="{_html(docs)}">{_html(gettext("Documentation"))}</a> /\n'
                "                    "
            )
        parts.append("\n                ")
    parts.append("\n                ")
    if user.has_usable_password():
        parts.append(
            f'\n                <a href="{_html(reverse("admin:password_change"))}">'
            f"{_html(gettext('Change password'))}</a> /\n                "
        )
    parts.append(
        f'\n                <form id="logout-form" method="post" action="{_html(reverse("admin:logout"))}">\n'
        f"                    {csrf_input}\n"
        f'                    <button type="submit">{_html(gettext("Log out"))}</button>\n'
        f"                </form>\n                {_theme_toggle()}\n            \n        </div>\n        \n        "
    )
    return "".join(parts)


def _messages(request) -> str:
    """The ``messages`` block of ``admin/base.html``."""
    stored = list(get_messages(request))
    if not stored:
        return "\n          \n        "
    items = "".join(
        f"\n              <li{f' class={chr(34)}{_html(message.tags)}{chr(34)}' if message.tags else ''}>"
        f"{capfirst_safe(message)}</li>\n            "
        for message in stored
    )
    return f'\n          \n            <ul class="messagelist">{items}</ul>\n          \n        '


def changelist_page(context, request, *, media_js: str, filter_html) -> str:
    """The page ``templates/admin/change_list.html`` renders (Django's ``admin/change_list.html`` over
    the project's ``admin/base_site.html`` over Django's ``admin/base.html``), for a changelist without
    ``list_editable`` or a date hierarchy. ``media_js`` is the page's scripts' tags and ``filter_html``
    writes a filter."""
    cl = context["cl"]
    opts = cl.opts
    is_popup = context.get("is_popup")
    sidebar = not is_popup and context.get("is_nav_sidebar_enabled")
    title = context.get("title")
    subtitle = context.get("subtitle")
    csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_html(get_token(request))}">'
    language = get_language() or "en-us"
    bidi = get_language_bidi()
    page_title = (f"{_html(subtitle)} | " if subtitle else "") + (
        f"{_html(title)} | {_html(context.get('site_title') or gettext('Django site admin'))}"
    )
    css = (
        f'\n  \n{ADMIN_STYLE}\n\n  <link rel="stylesheet" href="{_html(_static("admin/css/changelists.css"))}">\n  '
        "\n  "
        + (
            f'\n    <script src="{_html(reverse("admin:jsi18n"))}"></script>\n  '
            if context.get("action_form")
            else ""
        )
        + f"\n  {_html(context['media']['css'])}\n  "
        + (
            ""
            if context.get("actions_on_top") or context.get("actions_on_bottom")
            else "\n    <style>\n      #changelist table thead th:first-child {width: inherit}\n    </style>\n  "
        )
        + "\n"
    )
    parts = [
        "<!DOCTYPE html>\n\n"
        f'<html lang="{_html(language)}" dir="{"rtl" if bidi else "ltr"}">\n<head>\n'
        f"<title>{page_title}</title>\n"
        f'<link rel="stylesheet" href="{_html(_static("admin/css/base.css"))}">\n'
        f'\n  <link rel="stylesheet" href="{_html(_static("admin/css/dark_mode.css"))}">\n'
        f'  <script src="{_html(_static("admin/js/theme.js"))}"></script>\n\n'
    ]
    if sidebar:
        parts.append(
            f'\n  <link rel="stylesheet" href="{_html(_static("admin/css/nav_sidebar.css"))}">\n'
            f'  <script src="{_html(_static("admin/js/nav_sidebar.js"))}" defer></script>\n'
        )
    parts.append(f"\n{css}\n")
    if bidi:
        parts.append(f'<link rel="stylesheet" href="{_html(_static("admin/css/rtl.css"))}">')
    parts.append(
        f"\n\n\n{media_js}\n"
        f'<script src="{_html(_static("admin/js/filters.js"))}" defer></script>\n\n'
        '\n    <meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f'    <link rel="stylesheet" href="{_html(_static("admin/css/responsive.css"))}">\n    '
    )
    if bidi:
        parts.append(f'<link rel="stylesheet" href="{_html(_static("admin/css/responsive_rtl.css"))}">')
    body_class = f"{'popup ' if is_popup else ''} app-{_html(opts.app_label)} model-{_html(opts.model_name)} change-list"
    parts.append(
        '\n\n<meta name="robots" content="NONE,NOARCHIVE">\n</head>\n\n'
        f'<body class="{body_class}"\n  data-admin-utc-offset="{dateformat.format(timezone.now(), "Z")}">\n'
        f'<a href="#content-start" class="skip-to-content-link">{_html(gettext("Skip to main content"))}</a>\n'
        '<!-- Container -->\n<div id="container">\n\n    '
    )
    if not is_popup:
        index = _html(reverse("admin:index"))
        header = _html(context.get("site_header") or gettext("Django administration"))
        branding = f'\n<div id="site-name"><a href="{index}">{header}</a></div>\n\n'
        if request.user.is_anonymous:
            branding += f"  {_theme_toggle()}\n"
        app_list = _html(reverse("admin:app_list", kwargs={"app_label": opts.app_label}))
        parts.append(
            '\n    <!-- Header -->\n    \n      <header id="header">\n        <div id="branding">\n        '
            f"{branding}\n        </div>\n        {_usertools(context, request, csrf_input)}\n        \n"
            "      </header>\n    \n    <!-- END Header -->\n    \n"
            f'      <nav aria-label="{_html(gettext("Breadcrumbs"))}">\n        \n<div class="breadcrumbs">\n'
            f'<a href="{index}">{_html(gettext("Home"))}</a>\n'
            f'&rsaquo; <a href="{app_list}">{_html(opts.app_config.verbose_name)}</a>\n'
            f"&rsaquo; {capfirst_safe(opts.verbose_name_plural)}\n</div>\n\n      </nav>\n    \n    "
        )
    parts.append('\n\n    <div class="main" id="main">\n      ')
    if sidebar:
        apps = context.get("available_apps") or []
        parts.append(f"\n        \n          {nav_sidebar(apps, request.path)}\n\n        \n      ")
    parts.append(
        '\n      <main id="content-start" class="content" tabindex="-1">\n        '
        f"{_messages(request)}\n"
        '        <!-- Content -->\n        <div id="content" class="">\n          \n          '
        + (f"<h1>{_html(title)}</h1>" if title else "")
        + "\n          "
        + (f"<h2>{_html(subtitle)}</h2>" if subtitle else "")
        + "\n          \n"
    )
    parts.append(_content(context, csrf_input, filter_html))
    parts.append(
        '\n          \n          <br class="clear">\n        </div>\n        <!-- END Content -->\n'
        '      </main>\n    </div>\n    <footer id="footer"></footer>\n</div>\n<!-- END Container -->\n\n'
        f"{_SVGS}\n</body>\n</html>\n"
    )
    return "".join(parts)


def _content(context, csrf_input: str, filter_html) -> str:
    """The ``content`` block of ``admin/change_list.html`` (as ``templates/admin/change_list.html``
    writes it)."""
    cl = context["cl"]
    parts = [
        '  <div id="content-main">\n    \n        <ul class="object-tools">\n          \n            '
        f"{object_tools_block(context)}\n          \n        </ul>\n    \n    \n"
        f'    <div class="module{" filtered" if cl.has_filters else ""}" id="changelist">\n'
        '      <div class="changelist-form-container">\n        '
        f"{search_block(cl)}\n        "
    ]
    parts.append(
        f'\n\n        <form id="changelist-form" method="post" novalidate>{csrf_input}\n        \n\n        \n          '
    )
    show_actions = context.get("action_form") and cl.show_admin_actions
    if show_actions and context.get("actions_on_top"):
        parts.append(actions_block(context, 0))
    parts.append(f"\n          {results_table(cl)}\n          ")
    if show_actions and context.get("actions_on_bottom"):
        parts.append(actions_block(context, 1 if context.get("actions_on_top") else 0))
    parts.append(
        f"\n        \n        {pagination_block(cl)}\n        </form>\n      </div>\n      \n        "
    )
    if cl.has_filters:
        parts.append(
            '\n          <nav id="changelist-filter" aria-labelledby="changelist-filter-header">\n'
            f'            <h2 id="changelist-filter-header">{_html(gettext("Filter"))}</h2>\n            '
        )
        if cl.is_facets_optional or cl.has_active_filters:
            parts.append('<div id="changelist-filter-extra-actions">\n              ')
            if cl.is_facets_optional:
                parts.append("<h3>\n                ")
                if cl.add_facets:
                    parts.append(
                        f'<a href="{_html(cl.remove_facet_link)}" class="hidelink">{_html(gettext("Hide counts"))}</a>\n'
                        "                "
                    )
                else:
                    parts.append(
                        f'<a href="{_html(cl.add_facet_link)}" class="viewlink">{_html(gettext("Show counts"))}</a>'
                    )
                parts.append("\n              </h3>")
            parts.append("\n              ")
            if cl.has_active_filters:
                parts.append(
                    f'<h3>\n                <a href="{_html(cl.clear_all_filters_qs)}">&#10006; '
                    f"{_html(gettext('Clear all filters'))}</a>\n              </h3>"
                )
            parts.append("\n            </div>")
        parts.append("\n            ")
        parts.extend(filter_html(spec) for spec in cl.filter_specs)
        parts.append("\n          </nav>\n        ")
    parts.append("\n      \n    </div>\n  </div>\n")
    return "".join(parts)


_MEDIA_JS: dict[tuple, str] = {}


def media_js(media) -> SafeString:
    """``{{ media.js }}``, merged and written once per process for each set of scripts (a changelist's are
    the same on every request): Django sorts the lists and looks up each file's URL every time."""
    lists = media._js_lists
    if not all(isinstance(path, str) for scripts in lists for path in scripts):
        return mark_safe(str(media["js"]))  # script objects of their own: Django's rendering each time
    key = tuple(tuple(scripts) for scripts in lists)
    written = _MEDIA_JS.get(key)
    if written is None:
        written = str(media["js"])
        if len(_MEDIA_JS) < 1_000:
            _MEDIA_JS[key] = written
    return mark_safe(written)


class ChangelistPage:
    """Stands in for a changelist's template (``TemplateResponse.template_name``) and writes the page
    with ``changelist_page``, when the page is the one that function writes: the project's
    ``admin/change_list.html`` and ``admin/base_site.html`` over Django's own templates, no app or model
    overriding any of them, and no ``list_editable`` or date hierarchy. Otherwise the template renders."""

    def __init__(self, template):
        self.template = template

    @classmethod
    def for_response(cls, response) -> "ChangelistPage | None":
        context = response.context_data or {}
        cl = context.get("cl")
        if (
            cl is None
            or cl.formset
            or cl.date_hierarchy
            or not isinstance(response.template_name, list | tuple)
        ):
            return None
        engine = engines["django"].engine  # type: ignore[attr-defined]
        template = engine.select_template(response.template_name)
        if not _written_here(engine, cl.opts.app_label, cl.opts.model_name, str(template.origin.name)):
            return None
        return cls(template)

    def render(self, context=None, request=None):
        cl = context["cl"]
        return changelist_page(
            context,
            request,
            media_js=media_js(context["media"]),
            filter_html=lambda spec: (
                filter_block(cl, spec)
                if spec.template == "admin/filter.html"
                else admin_list_filter(cl, spec)
            ),
        )


@functools.lru_cache(maxsize=512)
def _written_here(engine: Engine, app_label: str, model_name: str, page_origin: str) -> bool:
    project = Path(settings.BASE_DIR) / "templates" / "admin"
    if Path(page_origin) != project / "change_list.html":
        return False

    def origin(name: str) -> Path:
        names = [f"admin/{app_label}/{model_name}/{name}", f"admin/{app_label}/{name}", f"admin/{name}"]
        return Path(str(engine.select_template(names).origin.name))

    djangos = Path(admin.__file__).parent / "templates" / "admin"
    ours = {"base_site.html", "nav_sidebar.html"}
    theirs = [
        "base.html",
        "search_form.html",
        "pagination.html",
        "actions.html",
        "filter.html",
        "change_list_results.html",
        "change_list_object_tools.html",
        "color_theme_toggle.html",
    ]
    return all(origin(name) == project / name for name in ours) and all(
        origin(name) == djangos / name for name in theirs
    )
