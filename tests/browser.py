"""Debian's Chromium driven by Playwright, for admin tests that submit forms exactly as the page renders
them. Never ``playwright install``: the browser comes from the system package."""

import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed")

SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
CURATOR = ("curator@example.com", "a-long-curator-password")


def screenshot(page, name: str) -> Path:
    """Save the whole page as ``var/screenshots/<name>.png`` (kept as a record of each screen tested)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, url: str) -> None:
    """Create a superuser and sign in to the admin as that curator."""
    from accounts.models import User

    User.objects.create_superuser(*CURATOR)
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", CURATOR[0])
    page.fill("#id_password", CURATOR[1])
    page.click("input[type=submit]")
    page.wait_for_url(f"{url}/admin/")


def save(page, name: str, button: str = "input[name=_save]") -> None:
    """Submit the admin form as rendered and require Django's success message; otherwise screenshot the
    page and fail with the errors it shows."""
    page.click(button)
    page.wait_for_load_state()
    content = page.content()
    if "successfully" not in content:
        errors = page.locator(".errorlist, .errornote").all_inner_texts()
        shot = screenshot(page, f"failed-{name}")
        raise AssertionError(f"{name} not saved ({page.url}): {errors or content[:2000]} — see {shot}")


def pick(page, select2_container, text: str) -> None:
    """Open a select2 autocomplete box, type ``text``, wait for the server's answer and pick it."""
    select2_container.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()
