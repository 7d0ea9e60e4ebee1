import pytest
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.admin_forms import SafeJSONField, two_lines
from core.json import MAX_JSON_DEPTH
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


NOT_A_UUID = "is not a valid UUID."
NOT_A_CHOICE = "Select a valid choice."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "error"),
    [
        ("/admin/reviews/review/add/", {"user": "not-a-uuid", "book": "nope", "rating": "3"}, NOT_A_UUID),
        ("/admin/stories/story/add/", {"user": "zz", "repository": "12"}, NOT_A_UUID),
        (
            "/admin/collections_app/collection/add/",
            {"name": "C", "visibility": "public", "books": ["nope"]},
            NOT_A_UUID,
        ),
        (
            "/admin/catalog/book/add/",
            {
                "title": "T",
                "author": "A",
                "bookgenre_set-TOTAL_FORMS": "1",
                "bookgenre_set-INITIAL_FORMS": "0",
                "bookgenre_set-0-genre": "x",
            },
            NOT_A_CHOICE,
        ),
    ],
)
def test_admin_autocomplete_with_an_id_that_is_not_an_id_redisplays_the_form(admin_client, url, data, error):
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert error in response.content.decode()


@pytest.mark.parametrize(
    ("first", "second"),
    [("Plain", "text"), ("<b>\"Tom\" & 'Jerry'</b>", "<i>x</i>"), (mark_safe("<b>ok</b>"), "")],
)
def test_two_lines_escapes_each_line_once_and_keeps_safe_markup(first, second):
    assert two_lines(first, second) == format_html(
        '<span class="folio-clip" title="{}">{}</span><br><span class="folio-clip help" title="{}">{}</span>',
        first,
        first,
        second,
        second,
    )
