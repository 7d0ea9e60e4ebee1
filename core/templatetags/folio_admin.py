"""The admin's busiest template pieces written in Python (``core.admin_lists``), with Django's HTML:
``{% folio_result_list cl %}`` for a changelist's results table, ``{% folio_nav_sidebar %}`` for the
sidebar."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

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
        if cl.formset or _overridden(context.template.engine, cl.opts):
            return self.djangos.render(context)
        return results_table(cl)


def _overridden(engine, opts) -> bool:
    found = engine.select_template(
        [
            f"admin/{opts.app_label}/{opts.model_name}/change_list_results.html",
            f"admin/{opts.app_label}/change_list_results.html",
            "admin/change_list_results.html",
        ]
    )
    return "/django/contrib/admin/templates/" not in found.origin.name.replace("\\", "/")


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
