"""A database that is down, or that accepts connections and never answers: requests get a 503 JSON with
Retry-After (never a 500), and the health check says so within 2 s. Each case runs Folio in a process of
its own, pointed at a real socket that misbehaves."""

import json
import time

import pytest

from tests.processes import free_port, manage_py, silent_listener

PROBE = """
import json, time
from django.test import Client
client = Client(raise_request_exception=False)
results = {}
requests = [
    ("health", "get", "/api/v1/health/", None),
    ("books", "get", "/api/v1/books/", None),
    ("page", "post", "/admin/login/", {"username": "curator@example.com", "password": "secret"}),
]
for name, method, url, data in requests:
    started = time.monotonic()
    response = getattr(client, method)(url, data)
    results[name] = {
        "status": response.status_code,
        "seconds": time.monotonic() - started,
        "retry_after": response.get("Retry-After"),
        "type": response["Content-Type"],
        "body": response.content.decode()[:300],
    }
print(json.dumps(results))
"""


def _probe(database_url: str) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "an-outage-test-key-that-is-long-enough-to-pass-the-deploy-checks-0123456789",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "DB_CONNECT_TIMEOUT": "2",
        "DB_POOL_TIMEOUT": "3",
        "LOG_LEVEL": "CRITICAL",
    }
    result = manage_py("shell", "-c", PROBE, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", ["refused", "silent"])
def test_requests_during_a_database_outage_are_503_with_retry_after(kind):
    if kind == "refused":
        results = _probe(f"postgres://folio@127.0.0.1:{free_port()}/folio")
    else:
        with silent_listener() as port:
            started = time.monotonic()
            results = _probe(f"postgres://folio@127.0.0.1:{port}/folio")
            assert time.monotonic() - started < 60
    health = results["health"]
    assert health["status"] == 503
    assert health["seconds"] < 2.0
    assert json.loads(health["body"])["status"] == "unavailable"
    books = results["books"]
    assert (books["status"], books["type"]) == (503, "application/json")
    assert json.loads(books["body"]) == {"detail": "The database is unavailable; try again in a few seconds."}
    assert books["retry_after"] == "5"
    assert results["page"]["status"] == 503 and results["page"]["retry_after"] == "5"


@pytest.mark.django_db
def test_health_is_degraded_and_says_why_when_an_extension_is_missing(api_client, settings):
    settings.HEALTH_REQUIRED_EXTENSIONS = ["vector", "folio_missing_extension"]
    response = api_client.get("/api/v1/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["problems"] == ["The folio_missing_extension extension is not installed."]
