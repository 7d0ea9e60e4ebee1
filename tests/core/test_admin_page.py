"""The changelist pieces ``core.admin_page`` writes are the HTML Django's admin templates write, on every
registered changelist: searched, filtered, sorted, paged, in a popup, with counts shown."""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_list import pagination, search_form
from django.contrib.auth.models import Permission
from django.template import engines
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.admin_page import (
    ChangelistPage,
    actions_block,
    filter_block,
    object_tools_block,
    pagination_block,
    search_block,
)
from reviews.models import Review
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory
from tests.every_table import rows_in_every_table

pytestmark = pytest.mark.django_db

HOSTILE = "<b>\"Tom\" & 'Jerry'</b>"
QUERIES = [
    "",
    "?q=Tom",
    "?_popup=1",
    "?_facets=True",
    "?o=-2&p=1",
    "?all=",
    "?q=%3Cb%3E&_facets=True&_popup=1",
]


@pytest.fixture
def rows_everywhere(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows_in_every_table()
    UserFactory(email="a<b>&\"c'@example.org", first_name=HOSTILE)
    for number in range(120):  # more than two pages of books
        BookFactory(title=f"{HOSTILE} {number}", language_code=["en", "fr", "<x>"][number % 3])


def _django_template(name: str):
    source = (Path(django.contrib.admin.__file__).parent / "templates" / name).read_text()
    return engines["django"].from_string(source)


def _changelists(client, query):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + query
        response = client.get(url)
        if response.status_code == 302:
            continue
        assert response.status_code == 200, url
        yield url, response


def _same(got, expected, url):
    assert got == expected, url


@pytest.mark.parametrize("query", QUERIES)
def test_every_changelists_pieces_are_the_html_django_writes(admin_client, rows_everywhere, query):
    seen = set()
    for url, response in _changelists(admin_client, query):
        context = response.context_data
        cl = context["cl"]
        request = response.wsgi_request
        _same(search_block(cl), _django_template("admin/search_form.html").render(search_form(cl)), url)
        _same(pagination_block(cl), _django_template("admin/pagination.html").render(pagination(cl)), url)
        for spec in cl.filter_specs:
            expected = _django_template("admin/filter.html").render(
                {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
            )
            _same(filter_block(cl, spec), expected, url)
            seen.add("filter")
        tools = _django_template("admin/change_list_object_tools.html").render(context, request)
        _same(object_tools_block(context), tools, url)
        if context.get("action_form"):
            for index in (0, 1):
                expected = _django_template("admin/actions.html").render(
                    {**context, "action_index": index}, request
                )
                _same(actions_block(context, index), expected, url)
                seen.add("actions")
    assert seen == ({"filter"} if "_popup" in query else {"filter", "actions"})  # no actions in a popup


def _without_csrf_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', page)


@pytest.mark.parametrize("query", QUERIES)
def test_every_changelist_page_is_the_page_djangos_templates_write(admin_client, rows_everywhere, query):
    django_page = _django_template("admin/change_list.html")
    for url, response in _changelists(admin_client, query):
        assert isinstance(response.template_name, ChangelistPage), url  # written in Python
        expected = django_page.render(response.context_data, response.wsgi_request)
        _same(_without_csrf_tokens(response.content.decode()), _without_csrf_tokens(expected), url)


def test_a_project_template_for_a_piece_is_still_used(admin_client, settings, tmp_path):
    pieces = ["search_form", "pagination", "actions", "change_list_object_tools"]
    for name in pieces:
        override = tmp_path / "admin" / "auth" / "group" / f"{name}.html"
        override.parent.mkdir(parents=True, exist_ok=True)
        override.write_text(f"<p>own {name} for {{{{ cl.opts.model_name }}}}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    rows_in_every_table()
    page = admin_client.get(reverse("admin:auth_group_changelist")).content.decode()
    for name in pieces:
        assert f"<p>own {name} for group</p>" in page
    assert "<p>own" not in admin_client.get(reverse("admin:catalog_book_changelist")).content.decode()


def test_a_curators_page_with_some_permissions_and_messages_is_djangos(client, rows_everywhere):
    """View-only on reviews (no add link, no actions), no usable password, messages waiting."""
    curator = UserFactory(is_staff=True, first_name="", email="view-only@example.org")
    curator.user_permissions.add(*Permission.objects.filter(codename__in=["view_review", "view_book"]))
    curator.set_unusable_password()
    curator.save()
    client.force_login(curator)
    response = client.get(reverse("admin:reviews_review_changelist"))
    request = response.wsgi_request
    messages.success(request, "Saved <b>safely</b>.")
    messages.warning(request, mark_safe("look <a href='#'>here</a>."))
    expected = _django_template("admin/change_list.html").render(response.context_data, request)
    assert "messagelist" in expected and "Look <a href='#'>here</a>." in expected
    assert "addlink" not in expected and "Change password" not in expected
    page = response.template_name
    assert isinstance(page, ChangelistPage)  # written in Python, and the same page
    assert _without_csrf_tokens(page.render(response.context_data, request)) == _without_csrf_tokens(expected)


def test_a_changelist_with_a_date_hierarchy_renders_djangos_templates(
    admin_client, rows_everywhere, monkeypatch
):
    monkeypatch.setattr(admin.site._registry[Review], "date_hierarchy", "created_at")
    response = admin_client.get(reverse("admin:reviews_review_changelist"))
    assert not isinstance(response.template_name, ChangelistPage)
    assert '<nav class="toplinks">' in response.content.decode()  # Django's date hierarchy
