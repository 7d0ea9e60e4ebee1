import shutil
import subprocess
import time
from io import StringIO
from pathlib import Path

import environ
import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory
from tests.browser import CHROMIUM, LAUNCH_ARGS


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staff_client(staff_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def admin_client(client, staff_user):
    """Django's test client signed in to the admin as a superuser."""
    client.force_login(staff_user)
    return client


GOODBOOKS = Path(__file__).resolve().parents[1] / "catalog" / "data" / "goodbooks-10k" / "books.csv"


@pytest.fixture(scope="module")
def real_catalog(django_db_setup, django_db_blocker) -> dict[int, str]:
    """The 10,000 goodbooks books, imported once for the module: ``{goodbooks book_id: Folio id}``. Tests
    using it must not flush the database (no ``transaction=True``)."""
    from catalog.models import Book

    with django_db_blocker.unblock():
        call_command("import_books", str(GOODBOOKS), "--quiet-issues", stdout=StringIO(), stderr=StringIO())
        yield dict(Book.objects.values_list("source_book_id", "pk"))
        Book.objects.all().delete()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real Redis server for this test process, on a Unix socket; skipped where Redis is not installed."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("Debian's redis-server package is not installed")
    socket_path = tmp_path_factory.mktemp("redis") / "redis.sock"
    server = subprocess.Popen(
        [executable, "--port", "0", "--unixsocket", str(socket_path), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not socket_path.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("redis-server did not start")
        time.sleep(0.05)
    yield f"redis://{socket_path}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_cache(redis_server, settings):
    """Point the default cache (and with it the rate-limit counters) at an empty Redis."""
    import redis

    settings.CACHES = {**settings.CACHES, "default": environ.Env.cache_url_config(redis_server)}
    redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).flushall()
    return redis_server


@pytest.fixture(params=["database", "redis"])
def rate_limit_store(request) -> str | None:
    """Run a test once with the counters in PostgreSQL and once in Redis; the Redis URL, or None."""
    if request.param == "redis":
        return request.getfixturevalue("redis_cache")
    return None


@pytest.fixture
def browser_page(monkeypatch):
    """A page in headless Chromium (tests using it carry ``tests.browser.needs_chromium``)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test are
    # still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
