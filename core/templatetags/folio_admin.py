"""The admin's busiest template pieces written in Python (``core.admin_lists``), with Django's HTML:
``{% folio_result_list cl %}`` for a changelist's rows, ``{% folio_nav_sidebar %}`` for the sidebar."""

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    result_headers,
    result_hidden_fields,
    result_list,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode

from core.admin_lists import nav_sidebar, result_rows

register = template.Library()


def folio_result_list(cl):
    if cl.formset:  # list_editable: a form in every row, Django's own rendering
        return result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": [ResultList(None, row) for row in result_rows(cl)],
    }


@register.tag(name="folio_result_list")
def folio_result_list_tag(parser, token):
    # The same template lookup as Django's tag: admin/<app>/<model>/change_list_results.html first.
    return InclusionAdminNode(  # type: ignore[call-arg]  # the stubs lag Django's signature
        parser, token, func=folio_result_list, template_name="change_list_results.html", takes_context=False
    )


@register.simple_tag(takes_context=True)
def folio_nav_sidebar(context):
    return nav_sidebar(context.get("available_apps") or [], context["request"].path)
