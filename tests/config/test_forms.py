import pytest
from django.core.exceptions import ValidationError

from config.forms import SafeJSONField
from config.parsers import MAX_JSON_DEPTH
from tests.stories.factories import IntentFactory

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DEEP, "nested deeper than"),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "nested deeper than"),
        ('{"a": "\\udc00"}', "lone surrogate U\\+DC00 in a"),
    ],
)
def test_json_a_database_cannot_hold_is_a_form_error(text, message):
    with pytest.raises(ValidationError, match=message):
        SafeJSONField().clean(text)


def test_json_within_the_limit_is_parsed():
    assert SafeJSONField().clean('{"a": [1, {"b": null}]}') == {"a": [1, {"b": None}]}


@pytest.mark.django_db
def test_admin_form_with_absurdly_deep_json_redisplays_with_the_error(admin_client):
    intent = IntentFactory()
    response = admin_client.post(
        f"/admin/stories/storyintent/{intent.pk}/change/", {"conversation_history": DEEP}
    )
    assert response.status_code == 200
    assert b"nested deeper than" in response.content
