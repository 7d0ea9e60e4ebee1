"""Folio behind gunicorn with its own settings file: an over-long API URL is still answered in JSON."""

import json
import urllib.error
import urllib.request

import pytest

from tests.processes import gunicorn

pytestmark = pytest.mark.django_db(transaction=True)


def test_gunicorn_leaves_long_api_urls_to_django_which_answers_json_414():
    with (
        gunicorn("-c", "config/gunicorn.py", GUNICORN_WORKERS="1") as base,
        pytest.raises(urllib.error.HTTPError) as answer,
    ):
        urllib.request.urlopen(f"{base}/api/v1/books/?search={'x' * 6000}", timeout=10)
    assert answer.value.code == 414
    assert answer.value.headers["Content-Type"] == "application/json"
    assert json.loads(answer.value.read())["detail"].startswith("The URL is too long")
