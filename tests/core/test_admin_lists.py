"""Changelist rows written by ``core.admin_lists`` are Django's own, byte for byte, on every registered
changelist: sorted, filtered, searched, in a popup, and with markup and blank values in the data."""

import datetime
import re
import zoneinfo
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result, result_list
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiKey
from accounts.services import api_key_create
from catalog.models import Book
from collections_app.models import Collection
from core.admin_lists import ChangelistPlan, distinct_values, nav_sidebar, result_rows, results_table
from reviews.models import Review
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory, GenreFactory
from tests.collections_app.factories import CollectionFactory
from tests.every_table import rows_in_every_table
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<b>\"Tom\" & 'Jerry'</b>"

QUERIES = [
    "",
    "?o=-2.1",
    "?q=Tom",
    "?_popup=1",
    "?o=1&p=0&all=",
]


@pytest.fixture
def rows_everywhere(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the tasks the services enqueue on commit
        rows_in_every_table()
    reader = UserFactory(email="a<b>&\"c'@example.org", first_name=HOSTILE, last_name="   ")
    Group.objects.create(name=HOSTILE)
    GenreFactory(name=HOSTILE, slug="hostile")
    book = BookFactory(title=HOSTILE, author="   ", publication_year=None)
    ReviewFactory(user=reader, book=book, rating=1, review_text=HOSTILE)
    CollectionFactory(created_by=reader, name=HOSTILE, description="")


def _django_rows(cl) -> list[str]:
    return ["".join(items_for_result(cl, obj, None)) for obj in cl.result_list]


@pytest.mark.parametrize("query", QUERIES)
def test_every_changelists_rows_are_the_html_django_writes(admin_client, rows_everywhere, query):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url + query)
        assert response.status_code in (200, 302), url + query  # 302: Django's answer to a bad lookup
        if response.status_code == 302:
            continue
        cl = response.context_data["cl"]
        expected = _django_rows(cl)
        assert expected or "q=" in query, f"{url}{query} lists no rows"  # a search may find none
        assert result_rows(cl) == expected, url + query
        page = response.content.decode()
        for row in expected:  # and the page served them
            assert f"<tr>{row}</tr>" in page
        if "_popup" in query and expected:
            assert "data-popup-opener" in expected[0]


@pytest.mark.parametrize("query", [*QUERIES, "?o=3.-1", "?o=-3.2.1", "?q=no-such-thing-anywhere"])
def test_every_changelists_table_is_the_html_django_writes(admin_client, rows_everywhere, query):
    """Headers (sorted by one column and by several, ascending and descending) and rows, or nothing."""
    table = _django_template("admin/change_list_results.html")
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url + query)
        if response.status_code == 302:  # Django's answer to a sort by a column the changelist lacks
            continue
        cl = response.context_data["cl"]
        expected = table.render(result_list(cl))
        assert results_table(cl) == expected, url + query
        assert expected in response.content.decode()


def test_a_page_of_rows_reads_the_columns_once(admin_client, rows_everywhere):
    """The plan is made once a page: the rows' URL comes from one reversal, not one per row."""
    UserFactory.create_batch(5)
    response = admin_client.get(reverse("admin:accounts_user_changelist") + "?q=example")
    cl = response.context_data["cl"]
    plan = ChangelistPlan(cl)
    assert plan.url is not None
    before, after = plan.url
    assert before.endswith("/admin/accounts/user/") and after.startswith("/change/?_changelist_filters=")
    assert len(cl.result_list) > 5


def test_a_changelist_with_list_editable_keeps_djangos_forms(admin_client, rows_everywhere, monkeypatch):
    model_admin = admin.site._registry[Group]
    monkeypatch.setattr(model_admin, "list_display", ["__str__", "name"])
    monkeypatch.setattr(model_admin, "list_editable", ["name"])
    response = admin_client.get(reverse("admin:auth_group_changelist"))
    assert response.status_code == 200
    assert b'name="form-0-name"' in response.content


def test_the_language_filter_offers_every_language_once_in_order(admin_client):
    for code in ["fr", "en", "", "en", "de", "fr"]:
        BookFactory(language_code=code)
    response = admin_client.get(reverse("admin:catalog_book_changelist"))
    [language] = [spec for spec in response.context_data["cl"].filter_specs if spec.title == "language code"]
    assert list(language.lookup_choices) == ["", "de", "en", "fr"]


def test_distinct_values_list_null_last(django_user_model):
    UserFactory(usage_quota=5)
    UserFactory(usage_quota=None)
    UserFactory(usage_quota=2)
    UserFactory(usage_quota=5)
    assert distinct_values(django_user_model._meta.db_table, "usage_quota") == [2, 5, None]


def _changelist_queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context_data["cl"].result_list)


@pytest.mark.parametrize("model", [Review, Collection, Book, ApiKey])
def test_a_changelist_reading_some_columns_reads_no_other_per_row(admin_client, rows_everywhere, model):
    """``list_columns`` holds every column the rows show: more rows, not more queries (a column left
    out would be read row by row)."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    before, rows_before = _changelist_queries(admin_client, url)
    for _ in range(4):
        reader = UserFactory()
        ReviewFactory(user=reader, book=BookFactory(cover_image_url="https://example.org/c.jpg"))
        CollectionFactory(created_by=reader)
        api_key_create(user=reader, name="a key", permissions=["reviews:write"])
    after, rows_after = _changelist_queries(admin_client, url)
    assert rows_after >= rows_before + 4
    assert after == before


def _django_template(name: str):
    """Django's own admin template, not the project's override of the same name."""
    source = (Path(django.contrib.admin.__file__).parent / "templates" / name).read_text()
    return engines["django"].from_string(source)


def _tags_only(page: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", page)).strip()


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/catalog/book/", "/admin/reviews/review/1/change/", "/admin/auth/"]
)
@pytest.mark.parametrize("superuser", [True, False])
def test_the_sidebar_is_the_html_django_writes(rf, path, superuser):
    staff = UserFactory(is_staff=True, is_superuser=superuser)
    if not superuser:  # a curator who may see books and reviews only
        for codename in ("view_book", "add_book", "view_review"):
            staff.user_permissions.add(Permission.objects.get(codename=codename))
        staff = type(staff).objects.get(pk=staff.pk)
    request = rf.get(path)
    request.user = staff
    apps = admin.site.get_app_list(request)
    assert any(app["app_label"] == "catalog" for app in apps)
    expected = _django_template("admin/nav_sidebar.html").render({"available_apps": apps}, request)
    assert _tags_only(nav_sidebar(apps, request.path)) == _tags_only(expected)


def test_a_sidebar_is_written_once_per_app_list_and_path(rf):
    request = rf.get("/admin/catalog/book/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    apps = admin.site.get_app_list(request)
    assert admin.site.get_app_list(request) is apps  # the site's one list for these permissions
    books = nav_sidebar(apps, "/admin/catalog/book/")
    assert nav_sidebar(apps, "/admin/catalog/book/") is books
    reviews = nav_sidebar(apps, "/admin/reviews/review/")
    assert (
        'class="model-review current-model"' in reviews
        and "current-model" not in books.split("model-book")[0]
    )
    other = [{**app, "name": f"{app['name']}!"} for app in apps]  # another list: its own sidebar
    assert f"{apps[0]['name']}!" in nav_sidebar(other, "/admin/catalog/book/")


def test_the_sidebar_of_a_curator_without_permissions(rf):
    request = rf.get("/admin/")
    expected = _django_template("admin/nav_sidebar.html").render({"available_apps": []}, request)
    assert _tags_only(nav_sidebar([], "/admin/")) == _tags_only(expected)


def test_admin_pages_serve_the_sidebar(admin_client):
    page = admin_client.get(reverse("admin:catalog_book_changelist")).content.decode()
    assert 'id="nav-sidebar"' in page and 'class="model-book current-model"' in page


def test_dates_are_shown_in_the_active_time_zone_as_django_shows_them(admin_client, rows_everywhere):
    UserFactory(created_at=datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC))
    with timezone.override(zoneinfo.ZoneInfo("Asia/Kolkata")):
        response = admin_client.get(reverse("admin:accounts_user_changelist"))
        cl = response.context_data["cl"]
        assert result_rows(cl) == _django_rows(cl)
    assert "Jan. 1, 2025, 5 a.m." in response.content.decode()


def test_a_project_template_for_the_results_table_is_still_used(admin_client, settings, tmp_path):
    override = tmp_path / "admin" / "auth" / "group" / "change_list_results.html"
    override.parent.mkdir(parents=True)
    override.write_text("<p>groups, {{ results|length }} of them</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    Group.objects.create(name="Editors")
    GenreFactory(name="Poetry", slug="poetry")
    assert (
        "<p>groups, 1 of them</p>"
        in admin_client.get(reverse("admin:auth_group_changelist")).content.decode()
    )
    page = admin_client.get(reverse("admin:catalog_genre_changelist")).content.decode()
    assert '<table id="result_list">' in page  # the other changelists keep the written table
