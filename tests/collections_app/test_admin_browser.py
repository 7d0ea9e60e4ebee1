"""Collections curated in a real Chromium: the page submitted exactly as rendered (the empty extra group row
with its pre-filled id included), books picked and groups and books reordered with the page's buttons, and
the API serving the order the curator saw."""

import re

import pytest
from rest_framework.test import APIClient

from collections_app.models import Collection, CollectionGroup
from tests.browser import needs_chromium, pick, save, screenshot, sign_in
from tests.catalog.factories import BookFactory
from tests.collections_app.helpers import assert_invariants

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def _group_names(collection) -> list[str]:
    groups = CollectionGroup.objects.filter(collection=collection).order_by("position")
    return list(groups.values_list("name", flat=True))


def test_a_collection_with_only_a_name_saves_and_saves_again_unchanged(live_server, browser_page):
    page = browser_page
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/collections_app/collection/add/")
    page.fill("#id_name", "Only a name")
    page.select_option("#id_visibility", "public")  # a collection without an owner is site-curated
    save(page, "collection-only-a-name")
    collection = Collection.objects.get(name="Only a name")
    assert _group_names(collection) == []

    page.goto(f"{live_server.url}/admin/collections_app/collection/{collection.pk}/change/")
    save(page, "collection-unchanged")  # no edits at all, the empty extra row submitted as rendered
    assert Collection.objects.filter(pk=collection.pk, name="Only a name").exists()


def test_a_curator_builds_and_reorders_a_public_collection_and_the_api_serves_that_order(
    live_server, browser_page
):
    titles = ["Dune", "Emma", "Ulysses", "Beloved", "Middlemarch"]
    books = {title: BookFactory(title=title, author=f"Author of {title}") for title in titles}
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url)

    page.goto(f"{live_server.url}/admin/collections_app/collection/add/")
    page.fill("#id_name", "Staff picks")
    page.select_option("#id_visibility", "public")
    page.fill("#id_groups-0-name", "Classics")
    for title in ["Middlemarch", "Emma", "Ulysses"]:  # picked in this order, kept in this order
        pick(page, page.locator("#groups-0 .ordered-books"), title)
    page.click("#groups-group .add-row a")  # "Add another Group"
    page.fill("#id_groups-1-name", "Modern")
    for title in ["Beloved", "Dune"]:
        pick(page, page.locator("#groups-1 .ordered-books"), title)
    screenshot(page, "collection-add-two-groups")
    save(page, "collection-two-groups")

    collection = Collection.objects.get(name="Staff picks")
    assert _group_names(collection) == ["Classics", "Modern"]
    assert_invariants(collection)

    page.goto(f"{live_server.url}/admin/collections_app/collection/{collection.pk}/change/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the collection page is {width}px wide"
    classics, modern = page.locator("#groups-0"), page.locator("#groups-1")
    modern.locator(".group-move-up").click()  # Modern before Classics
    # Classics: Middlemarch, Emma, Ulysses → Ulysses, Middlemarch, Emma
    classics.locator("li", has_text="Ulysses").locator(".ordered-books-up").click()
    classics.locator("li", has_text="Ulysses").locator(".ordered-books-up").click()
    # Modern: Beloved, Dune → Dune, Beloved
    modern.locator("li", has_text="Beloved").locator(".ordered-books-down").click()
    screenshot(page, "collection-reordered")
    save(page, "collection-reordered")

    response = APIClient().get(f"/api/v1/collections/{collection.pk}/")
    assert response.status_code == 200
    base = f"/api/v1/collections/{collection.pk}"
    served = [
        (
            group["name"],
            [
                e["book"]["title"]
                for e in APIClient().get(f"{base}/groups/{group['id']}/books/").json()["results"]
            ],
        )
        for group in response.json()["groups"]
    ]
    assert served == [("Modern", ["Dune", "Beloved"]), ("Classics", ["Ulysses", "Middlemarch", "Emma"])]
    assert_invariants(collection)

    # Removing a book and saving again keeps everything else where the curator put it.
    page.goto(f"{live_server.url}/admin/collections_app/collection/{collection.pk}/change/")
    page.locator("#groups-1 li", has_text="Middlemarch").locator(".ordered-books-remove").click()
    save(page, "collection-book-removed")
    classics = CollectionGroup.objects.get(collection=collection, name="Classics")
    titles_now = list(classics.entries.order_by("position").values_list("book__title", flat=True))
    assert titles_now == ["Ulysses", "Emma"]
    assert books["Middlemarch"].pk in set(collection.memberships.values_list("book_id", flat=True))
    assert_invariants(collection)


def test_the_new_group_row_moved_to_the_top_is_created_there(live_server, browser_page):
    page = browser_page
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/collections_app/collection/add/")
    page.fill("#id_name", "Shelf")
    page.select_option("#id_visibility", "public")
    page.fill("#id_groups-0-name", "Classics")
    save(page, "collection-one-group")
    collection = Collection.objects.get(name="Shelf")

    page.goto(f"{live_server.url}/admin/collections_app/collection/{collection.pk}/change/")
    page.fill("#id_groups-1-name", "New")  # the page's empty extra row, after the existing group
    page.locator("#groups-1 .group-move-up").click()
    save(page, "collection-new-group-on-top")
    assert _group_names(collection) == ["New", "Classics"]

    page.goto(f"{live_server.url}/admin/collections_app/collection/{collection.pk}/change/")
    save(page, "collection-unchanged-again")
    assert _group_names(collection) == ["New", "Classics"]
    assert re.search(r"/admin/collections_app/collection/", page.url)
    assert_invariants(collection)
