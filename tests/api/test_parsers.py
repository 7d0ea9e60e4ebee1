import pytest

from core.json import MAX_JSON_DEPTH, json_problem

pytestmark = pytest.mark.django_db


def _nested(levels: int) -> list:
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (3, None),
        ({"a": [1, {"b": None, "c": "\U0001f600"}]}, None),
        (_nested(MAX_JSON_DEPTH), None),
        (_nested(MAX_JSON_DEPTH + 1), f"nested deeper than {MAX_JSON_DEPTH} levels"),
        ("\ud800", "lone surrogate U+D800 in the top level"),
        ({"name": "a\x00b"}, "NUL character in name"),
        ({"tags": [{"\x00": 1}]}, "NUL character in a key of tags[0]"),
        ({"path": "C:\\u0000dir"}, None),  # an escaped backslash, not a NUL
        ({"extra": {"notes": ["ok", "bad \udfff"]}}, "lone surrogate U+DFFF in extra.notes[1]"),
        ({"extra": {"\ud83d": 1}}, "lone surrogate U+D83D in a key of extra"),
    ],
)
def test_json_problem(value, problem):
    assert json_problem(value) == problem


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 100_000])
def test_json_nested_too_deeply_is_a_400(user_client, levels):
    body = "[" * levels + "]" * levels
    response = user_client.generic("PATCH", "/api/v1/me/preferences/", body, content_type="application/json")
    assert response.status_code == 400
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in response.json()["detail"]


def test_lone_surrogate_in_a_json_field_is_a_400_saying_where(user_client):
    body = '{"extra": {"note": "\\ud800"}}'
    response = user_client.generic("PATCH", "/api/v1/me/preferences/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "JSON parse error - lone surrogate U+D800 in extra.note."


def test_escaped_backslash_before_u0000_is_text_not_nul(user_client):
    body = '{"extra": {"path": "C:\\\\u0000dir"}}'
    response = user_client.generic("PATCH", "/api/v1/me/preferences/", body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["extra"] == {"path": "C:\\u0000dir"}


def test_json_within_the_limits_is_accepted(user_client):
    extra = {"a": {"b": {"c": [1, 2, {"d": "e \U0001f600"}]}}}
    response = user_client.patch("/api/v1/me/preferences/", {"extra": extra}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["extra"] == extra
