import pytest
from django.db import connection
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_health_reports_database_migrations_and_pgvector(api_client):
    response = api_client.get("/api/v1/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "connected"
    assert body["migrations"] == "applied"
    assert body["pgvector"].count(".") >= 1


@pytest.mark.django_db(transaction=True)
def test_health_is_503_when_the_database_is_unreachable(api_client, tmp_path):
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = str(tmp_path)  # no server listens on a socket here
    try:
        response = api_client.get("/api/v1/health/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json()["database"] == "disconnected"


def test_openapi_document_validates(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/v1/health/" in document["paths"]


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_docs_pages_are_served_from_local_static_files(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"cdn.jsdelivr" not in response.content


def test_unknown_api_url_is_json_404(api_client):
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_url_outside_the_api_version_is_json_404(api_client):
    response = api_client.get("/api/v2/books/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_wrong_method_is_json_405(api_client):
    response = api_client.delete("/api/v1/health/")
    assert response.status_code == 405
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/books/?page=0", 400),
        ("get", "/api/v1/books/?page=7554556595486681202688", 404),  # past any list, not an overflow
        ("get", "/api/v1/books/?search=tutorial&page=7554556595486681202688", 404),
        ("get", "/api/v1/me/", 401),
        ("get", "/api/v1/books/00000000-0000-0000-0000-000000000000/", 404),
        ("delete", "/api/v1/health/", 405),
    ],
)
def test_errors_are_json_even_when_a_browser_asks_for_html(client, method, url, status):
    response = getattr(client, method)(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json() or "page" in response.json()


def test_successful_responses_still_offer_the_browsable_api(client):
    response = client.get("/api/v1/genres/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_oversized_body_is_json_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_client.post(
        "/api/v1/auth/register/", data='{"email": "' + "a" * 2000 + '"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_pgvector_extension_is_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        assert cursor.fetchone() is not None


def test_landing_page_links_admin_and_docs(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"/api/v1/docs/" in response.content


def test_admin_login_page_is_branded(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Folio administration" in response.content


def test_server_error_under_api_is_json_500(rf):
    from config.views import server_error

    response = server_error(rf.get("/api/v1/books/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/books/?search=dragon%00", None),
        ("post", "/api/v1/auth/register/", '{"email": "a\\u0000@example.com", "password": "x"}'),
    ],
)
def test_nul_characters_are_400(api_client, method, url, body):
    response = getattr(api_client, method)(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_a_slug_list_is_400_not_500(staff_client):
    from tests.catalog.factories import BookFactory

    book = BookFactory()
    response = staff_client.patch(
        f"/api/v1/books/{book.pk}/", data='{"genres": ["a\\u0000"]}', content_type="application/json"
    )
    assert response.status_code == 400


def test_unknown_api_url_with_unsafe_method_is_json_404_not_csrf_html():
    from rest_framework.test import APIClient

    response = APIClient(enforce_csrf_checks=True).patch("/api/v1/books/not-a-uuid/", {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
