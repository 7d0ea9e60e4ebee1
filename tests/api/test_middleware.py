"""NUL characters never reach a query from the admin either (its search, filters and autocompletes)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/catalog/book/?q=dragon%00",
        "/admin/autocomplete/?app_label=reviews&model_name=review&field_name=user&term=%00",
    ],
)
def test_nul_in_an_admin_url_is_400(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert b"NUL characters are not allowed in URLs." in response.content


def test_nul_in_an_admin_form_is_a_form_error(admin_client):
    response = admin_client.post("/admin/catalog/genre/add/", {"name": "Sci\x00Fi", "slug": "sci-fi"})
    assert response.status_code == 200
    assert b"Null characters are not allowed." in response.content


def test_admin_pages_without_nul_are_untouched(admin_client):
    assert admin_client.get("/admin/catalog/book/?q=dragon").status_code == 200
    response = admin_client.post("/admin/catalog/genre/add/", {"name": "Sci Fi", "slug": "sci-fi"})
    assert response.status_code == 302


def test_an_overlong_api_url_is_a_json_414(api_client):
    response = api_client.get("/api/v1/books/", {"search": "x" * 5000})
    assert response.status_code == 414
    assert response.json()["detail"].startswith("The URL is too long")


def test_a_query_parameter_given_twice_is_a_400_naming_it(api_client):
    response = api_client.get("/api/v1/books/?page=1&page=2&search=a")
    assert response.status_code == 400
    assert response.json() == {"page": ["Give this parameter once."]}
