"""The admin's busiest template pieces written in Python, with Django's HTML: ``{% folio_result_list cl
%}`` for a changelist's results table and ``{% folio_nav_sidebar %}`` for the sidebar
(``core.admin_lists``); the search form, filters, actions bar, page links and add link of a changelist
(``core.admin_page``). Each is rendered from its template instead where a project or app overrides it."""

import functools

from django import template
from django.contrib.admin.templatetags.admin_list import (
    admin_list_filter,
    pagination,
    result_list,
    search_form,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.safestring import mark_safe

from core import admin_page
from core.admin_lists import nav_sidebar, results_table

register = template.Library()


class ResultListNode(template.Node):
    """Django's ``{% result_list cl %}``: the table is written by ``results_table`` unless the rows hold
    forms (``list_editable``) or a project template overrides ``change_list_results.html``, which are
    rendered by Django's own tag."""

    def __init__(self, djangos: InclusionAdminNode):
        self.djangos = djangos
        self.cl = djangos.args[0]

    def render(self, context):
        cl = self.cl.resolve(context)
        if cl.formset or not _djangos(context, cl, "change_list_results.html"):
            return self.djangos.render(context)
        return results_table(cl)


def _djangos(context, cl, name: str) -> bool:
    """Whether the changelist's ``name`` template is Django's own (not overridden)."""
    return _is_djangos(context.template.engine, tuple(admin_page.admin_template_names(cl, name)))


@functools.lru_cache(maxsize=256)
def _is_djangos(engine, names: tuple[str, ...]) -> bool:
    return admin_page.is_djangos(engine, list(names))


def _from_template(context, cl, name: str, values) -> str:
    """What Django's inclusion tag writes: the changelist's ``name`` template with these values."""
    template = context.template.engine.select_template(admin_page.admin_template_names(cl, name))
    new_context = context.new(values)
    if context.get("csrf_token") is not None:
        new_context["csrf_token"] = context["csrf_token"]
    return template.render(new_context)


@register.simple_tag(takes_context=True)
def folio_search_form(context, cl):
    if _djangos(context, cl, "search_form.html"):
        return admin_page.search_block(cl)
    return _from_template(context, cl, "search_form.html", search_form(cl))


@register.simple_tag(takes_context=True)
def folio_pagination(context, cl):
    if _djangos(context, cl, "pagination.html"):
        return admin_page.pagination_block(cl)
    return _from_template(context, cl, "pagination.html", pagination(cl))


@register.simple_tag(takes_context=True)
def folio_list_filter(context, cl, spec):
    if spec.template == "admin/filter.html" and _is_djangos(context.template.engine, ("admin/filter.html",)):
        return admin_page.filter_block(cl, spec)
    return admin_list_filter(cl, spec)


@register.simple_tag(takes_context=True)
def folio_admin_actions(context):
    # As Django's tag: the bar's index on the page (0 above the rows, 1 below), kept in the context.
    context["action_index"] = context.get("action_index", -1) + 1
    cl = context["cl"]
    if _djangos(context, cl, "actions.html"):
        return admin_page.actions_block(context, context["action_index"])
    return _from_template(context, cl, "actions.html", context.flatten())


@register.simple_tag(takes_context=True)
def folio_object_tools(context):
    cl = context["cl"]
    if _djangos(context, cl, "change_list_object_tools.html"):
        return admin_page.object_tools_block(context)
    return _from_template(context, cl, "change_list_object_tools.html", context.flatten())


@register.tag(name="folio_result_list")
def folio_result_list_tag(parser, token):
    # The same template lookup as Django's tag, for the changelists it renders.
    djangos = InclusionAdminNode(  # type: ignore[call-arg]  # the stubs lag Django's signature
        parser, token, func=result_list, template_name="change_list_results.html", takes_context=False
    )
    return ResultListNode(djangos)


@register.simple_tag(takes_context=True)
def folio_nav_sidebar(context):
    return nav_sidebar(context.get("available_apps") or [], context["request"].path)


@register.simple_tag
def folio_media_js(media):
    return admin_page.media_js(media)


@register.simple_tag
def folio_admin_style():
    return mark_safe(admin_page.ADMIN_STYLE)
