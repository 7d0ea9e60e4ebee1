import pytest

from config.parsers import MAX_JSON_DEPTH, json_depth

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "depth"),
    [(3, 0), ("x", 0), ([], 1), ({}, 1), ({"a": [1, {"b": None}]}, 3), ([[[[]]], []], 4)],
)
def test_json_depth(value, depth):
    assert json_depth(value) == depth


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 100_000])
def test_json_nested_too_deeply_is_a_400(user_client, levels):
    body = "[" * levels + "]" * levels
    response = user_client.generic("PATCH", "/api/v1/me/preferences/", body, content_type="application/json")
    assert response.status_code == 400
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in response.json()["detail"]


def test_json_within_the_depth_limit_is_accepted(user_client):
    extra = {"a": {"b": {"c": [1, 2, {"d": "e"}]}}}
    response = user_client.patch("/api/v1/me/preferences/", {"extra": extra}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["extra"] == extra
