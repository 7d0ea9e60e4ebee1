"""The curator admin in a real headless Chromium: sign in, search the catalog, and tag a book with a
genre through the autocomplete widget (JavaScript), then check the database."""

import re

import pytest

from accounts.models import User
from catalog.models import Book
from tests.browser import needs_chromium
from tests.catalog.factories import BookFactory, GenreFactory

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def test_curator_signs_in_searches_and_tags_a_book_with_autocomplete(live_server, browser_page):
    User.objects.create_superuser("curator@example.com", "a-long-curator-password")
    book = BookFactory(title="The Left Hand of Darkness", author="Ursula K. Le Guin")
    BookFactory(title="Unrelated", author="Someone")
    GenreFactory(name="Science Fiction", slug="science-fiction")
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/")
    assert "Folio administration" in page.content()
    page.fill("#id_username", "curator@example.com")
    page.fill("#id_password", "a-long-curator-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/catalog/book/?q=darkness")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    rows.first.locator("th a").click()
    page.wait_for_url(re.compile(rf"/admin/catalog/book/{book.pk}/change/"))  # keeps ?_changelist_filters

    # The genre inline uses Django's select2 autocomplete: type, wait for the AJAX answer, pick it.
    page.locator("#bookgenre_set-group .select2-selection").first.click()
    page.locator(".select2-search__field").fill("science")
    page.locator(".select2-results__option", has_text="Science Fiction").click()
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r"/admin/catalog/book/(\?.*)?$"))
    assert "was changed successfully" in page.content()
    assert list(Book.objects.get(pk=book.pk).genres.values_list("slug", flat=True)) == ["science-fiction"]
