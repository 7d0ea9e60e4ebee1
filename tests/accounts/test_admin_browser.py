"""The admin's sign-in in a real headless Chromium, under the same lock-out as the API."""

import re

import pytest

from accounts.models import User
from tests.accounts.helpers import LONG_WINDOW
from tests.browser import needs_chromium, save, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


def _sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def test_twelve_wrong_passwords_lock_the_admin_sign_in_even_for_the_right_one(
    live_server, browser_page, settings
):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_COOLOFF_SECONDS = LONG_WINDOW
    User.objects.create_superuser("curator@example.com", "a-long-curator-password")
    for _ in range(12):
        _sign_in(browser_page, live_server.url, "curator@example.com", "wrong password")
    _sign_in(browser_page, live_server.url, "curator@example.com", "a-long-curator-password")
    assert browser_page.url.endswith("/admin/login/")
    error = browser_page.locator(".errornote").inner_text()
    minutes = re.fullmatch(r"Too many failed sign-in attempts\. Try again in (\d+) minute\(s\)\.", error)
    assert minutes and 1 <= int(minutes.group(1)) <= LONG_WINDOW // 60, error
    browser_page.goto(f"{live_server.url}/admin/")
    assert "/admin/login/" in browser_page.url  # not signed in


def test_a_curator_who_signs_in_often_is_never_locked_out(live_server, browser_page, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_COOLOFF_SECONDS = LONG_WINDOW
    User.objects.create_superuser("curator@example.com", "a-long-curator-password")
    for _ in range(4):
        browser_page.context.clear_cookies()
        _sign_in(browser_page, live_server.url, "curator@example.com", "a-long-curator-password")
        assert browser_page.url == f"{live_server.url}/admin/"


def _readers_page(page, url: str) -> User:
    """Sign in as a curator and open a new reader's page."""
    reader = User.objects.create_user("reader@example.com", "a-long-reader-password")
    sign_in(page, url)
    page.goto(f"{url}/admin/accounts/user/{reader.pk}/change/")
    return reader


def test_a_curator_sets_a_readers_preferences_with_real_fields(live_server, browser_page):
    page = browser_page
    reader = _readers_page(page, live_server.url)
    page.fill("#id_preferences-0-hours_start", "09:00")
    page.fill("#id_preferences-0-hours_end", "17:30")
    page.select_option("#id_preferences-0-hours_timezone", "Europe/Paris")
    page.check("input[name='preferences-0-channels'][value='sms']")
    page.uncheck("input[name='preferences-0-channels'][value='email']")
    save(page, "reader-preferences")
    reader.preferences.refresh_from_db()
    assert reader.preferences.custom_hours == {"start": "09:00", "end": "17:30", "timezone": "Europe/Paris"}
    assert reader.preferences.communication_preferences == {"email": False, "sms": True, "in_app": True}


def test_changing_a_readers_tier_brings_that_tiers_quota(live_server, browser_page):
    page = browser_page
    reader = _readers_page(page, live_server.url)
    page.select_option("#id_subscription_tier", "pro")
    save(page, "reader-tier")
    assert "Story quota set to the pro tier's: 100 a month." in page.content()
    reader.refresh_from_db()
    assert (reader.subscription_tier, reader.usage_quota) == ("pro", 100)
