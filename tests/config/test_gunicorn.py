"""Folio behind gunicorn with its own settings file: an over-long API URL is still answered in JSON."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.processes import ROOT, database_url, free_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_gunicorn_leaves_long_api_urls_to_django_which_answers_json_414():
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/v1/health/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"{base}/api/v1/books/?search={'x' * 6000}", timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert answer.value.code == 414
    assert answer.value.headers["Content-Type"] == "application/json"
    assert json.loads(answer.value.read())["detail"].startswith("The URL is too long")
