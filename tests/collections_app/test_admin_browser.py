"""Collections saved from the admin page exactly as Chromium renders it: the empty extra group row (whose
hidden id the model's UUID default pre-fills) included."""

import re
import time
from pathlib import Path

import pytest

from accounts.models import User
from collections_app.models import Collection, CollectionGroup
from tests.browser import needs_chromium
from tests.collections_app.helpers import assert_invariants

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def _sign_in(page, url: str) -> None:
    User.objects.create_superuser("curator@example.com", "a-long-curator-password")
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", "curator@example.com")
    page.fill("#id_password", "a-long-curator-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{url}/admin/")


def _save(page) -> None:
    page.click("input[name=_save]")
    page.wait_for_load_state()
    if not re.search(r"/admin/collections_app/collection/(\?.*)?$", page.url):
        errors = page.locator(".errorlist, .errornote").all_inner_texts()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / f"collection-not-saved-{int(time.time() * 1000)}.png"), full_page=True
        )
        raise AssertionError(f"not saved: {page.url} {errors} {page.content()[:3000] if not errors else ''}")
    assert "was added successfully" in page.content() or "was changed successfully" in page.content()


def test_a_collection_with_only_a_name_saves_and_saves_again_unchanged(live_server, browser_page):
    page = browser_page
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/collections_app/collection/add/")
    page.fill("#id_name", "Only a name")
    page.select_option("#id_visibility", "public")  # a collection without an owner is site-curated
    _save(page)
    collection = Collection.objects.get(name="Only a name")
    assert not CollectionGroup.objects.filter(collection=collection).exists()

    page.goto(f"{live_server.url}/admin/collections_app/collection/{collection.pk}/change/")
    _save(page)  # no edits at all, the empty extra row submitted as rendered
    assert Collection.objects.filter(pk=collection.pk, name="Only a name").exists()


def test_groups_added_in_the_extra_row_and_resaved(live_server, browser_page):
    page = browser_page
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/collections_app/collection/add/")
    page.fill("#id_name", "Staff picks")
    page.select_option("#id_visibility", "public")
    page.fill("#id_groups-0-name", "Classics")
    _save(page)
    collection = Collection.objects.get(name="Staff picks")
    assert list(CollectionGroup.objects.filter(collection=collection).values_list("name", flat=True)) == [
        "Classics"
    ]

    page.goto(f"{live_server.url}/admin/collections_app/collection/{collection.pk}/change/")
    page.fill("#id_groups-1-name", "New")  # the page's empty extra row, after the existing group
    page.fill("#id_groups-1-place", "0")
    _save(page)
    assert list(
        CollectionGroup.objects.filter(collection=collection)
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["New", "Classics"]

    page.goto(f"{live_server.url}/admin/collections_app/collection/{collection.pk}/change/")
    _save(page)  # unchanged: nothing moves, nothing fails
    assert list(
        CollectionGroup.objects.filter(collection=collection)
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["New", "Classics"]
    assert_invariants(collection)
