"""The library import and export API as a reader's client uses it: upload, poll, page through the report,
resolve, download the unmatched rows, undo; and every way a file can be wrong."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from reviews import library_services
from reviews.library_files import GOODREADS_COLUMNS
from reviews.models import LibraryImport, Review
from tests.accounts.factories import UserFactory
from tests.clients import key_client
from tests.reviews.library_exports import goodreads_file, goodreads_row, real_books

pytestmark = pytest.mark.django_db

BOOKS = real_books()
IMPORTS = "/api/v1/me/imports/"


def _upload(client: APIClient, data: bytes, name: str = "goodreads_library_export.csv"):
    return client.post(IMPORTS, {"file": SimpleUploadedFile(name, data, "text/csv")}, format="multipart")


def _imported(client: APIClient, data: bytes) -> dict:
    response = _upload(client, data)
    assert response.status_code == 202, response.content
    library_services.library_import_run(import_id=response.json()["id"])  # what the worker does
    return client.get(f"{IMPORTS}{response.json()['id']}/").json()


def _library_rows(n: int, unmatched: int = 0) -> list[dict]:
    rows = [goodreads_row(book, My_Rating=str(1 + i % 5)) for i, book in enumerate(BOOKS[:n])]
    rows += [
        goodreads_row(
            BOOKS[0], Title=f"=cmd|' /C calc'!A{i}", Author="Nobody", ISBN='=""', ISBN13='=""', My_Rating="4"
        )
        for i in range(unmatched)
    ]
    return rows


def test_upload_answers_202_and_the_import_reports_its_progress_to_complete(real_catalog, user_client):
    response = _upload(user_client, goodreads_file(_library_rows(30, unmatched=2)))
    assert response.status_code == 202, response.content
    queued = response.json()
    assert (queued["status"], queued["rows_total"], queued["rows_done"], queued["progress"]) == (
        "queued",
        32,
        0,
        0.0,
    )
    library_services.library_import_run(import_id=queued["id"])
    done = user_client.get(f"{IMPORTS}{queued['id']}/").json()
    assert (done["status"], done["rows_done"], done["progress"]) == ("complete", 32, 1.0)
    assert (done["matched_count"], done["unmatched_count"], done["created_count"]) == (30, 2, 30)
    listed = user_client.get(IMPORTS).json()
    assert [item["id"] for item in listed["results"]] == [queued["id"]]


def test_the_report_pages_to_its_end_and_filters_by_outcome(real_catalog, user_client):
    library_import = _imported(user_client, goodreads_file(_library_rows(45, unmatched=3)))
    url = f"{IMPORTS}{library_import['id']}/rows/"
    numbers, page = [], f"{url}?page_size=20"
    while page:
        body = user_client.get(page).json()
        numbers += [row["number"] for row in body["results"]]
        page = body["next"]
    assert numbers == list(range(1, 49))
    unmatched = user_client.get(url, {"outcome": "unmatched"}).json()
    assert [row["number"] for row in unmatched["results"]] == [46, 47, 48]
    row = unmatched["results"][0]
    assert row["book"] is None and row["unmatched_reason"] and row["cells"]["Author"] == "Nobody"
    first = user_client.get(f"{url}1/").json()
    assert first["match_method"] == "isbn13" and first["book"]["title"] == BOOKS[0].title
    assert user_client.get(url, {"outcome": "maybe"}).status_code == 400
    assert user_client.get(f"{url}999/").status_code == 404


def test_the_report_costs_the_same_queries_for_a_short_and_a_long_page(
    real_catalog, user_client, django_assert_num_queries
):
    library_import = _imported(user_client, goodreads_file(_library_rows(40)))
    url = f"{IMPORTS}{library_import['id']}/rows/"
    for size in (5, 40):
        # The request's rate-limit count, the import, the rows' count, the page (with its books).
        with django_assert_num_queries(4):
            assert len(user_client.get(url, {"page_size": size}).json()["results"]) == size
    reader = LibraryImport.objects.get(pk=library_import["id"]).user
    LibraryImport.objects.bulk_create(
        [
            LibraryImport(user=reader, source="goodreads", file_sha256=f"{n:064}", status="complete")
            for n in range(4)
        ]
    )
    for size in (1, 5):
        with django_assert_num_queries(3):  # the rate-limit count, the imports' count, the page
            assert len(user_client.get(IMPORTS, {"page_size": size}).json()["results"]) == size


def test_resolving_an_unmatched_row_applies_it(real_catalog, user_client, user):
    library_import = _imported(user_client, goodreads_file(_library_rows(1, unmatched=1)))
    url = f"{IMPORTS}{library_import['id']}/rows/2/"
    book_id = str(real_catalog[BOOKS[5].book_id])
    assert user_client.patch(url, {"book": "not-a-uuid"}, format="json").status_code == 400
    missing = user_client.patch(url, {"book": "00000000-0000-0000-0000-000000000000"}, format="json")
    assert missing.status_code == 400 and "No catalog book" in missing.json()["book"][0]
    assert user_client.patch(url, {}, format="json").status_code == 400
    resolved = user_client.patch(url, {"book": book_id}, format="json")
    assert resolved.status_code == 200, resolved.content
    assert (resolved.json()["match_method"], resolved.json()["outcome"]) == ("resolved", "created")
    assert Review.objects.filter(user=user, book_id=book_id).exists()
    again = user_client.patch(url, {"book": book_id}, format="json")
    assert again.status_code == 409


def test_unmatched_rows_download_as_csv_with_why_and_formulas_neutralised(real_catalog, user_client):
    library_import = _imported(user_client, goodreads_file(_library_rows(2, unmatched=2)))
    response = user_client.get(f"{IMPORTS}{library_import['id']}/unmatched.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [*GOODREADS_COLUMNS, "Folio: why unmatched", "Folio: nearest books"]
    assert len(rows) == 3
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][-2]


def test_undo_through_the_api_then_again_is_409(real_catalog, user_client, user):
    library_import = _imported(user_client, goodreads_file(_library_rows(5)))
    assert Review.objects.filter(user=user).count() == 5
    undone = user_client.post(f"{IMPORTS}{library_import['id']}/undo/")
    assert undone.status_code == 200 and undone.json()["status"] == "undone"
    assert Review.objects.filter(user=user).count() == 0
    assert user_client.post(f"{IMPORTS}{library_import['id']}/undo/").status_code == 409


def test_another_readers_import_does_not_exist_for_you(real_catalog, user_client):
    other = APIClient()
    other.force_authenticate(UserFactory())
    library_import = _imported(other, goodreads_file(_library_rows(1)))
    for method, path in [
        ("get", ""),
        ("get", "rows/"),
        ("get", "rows/1/"),
        ("get", "unmatched.csv"),
        ("post", "undo/"),
        ("patch", "rows/1/"),
    ]:
        response = getattr(user_client, method)(f"{IMPORTS}{library_import['id']}/{path}", {}, format="json")
        assert response.status_code == 404, (method, path, response.status_code)
    assert user_client.get(IMPORTS).json()["results"] == []
    assert APIClient().get(IMPORTS).status_code in (401, 403)


def test_api_keys_read_imports_but_cannot_start_one(real_catalog, user):
    client = key_client(user, ["reviews:write", "collections:write"])
    assert client.get(IMPORTS).status_code == 200
    assert _upload(client, goodreads_file(_library_rows(1))).status_code == 403


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, 400, "binary"),
        ("Title,Author\nÉmile,Zola\n".encode("cp1252"), 400, "not UTF-8 or UTF-16"),
        (b"name,email\nAda,ada@example.com\n", 400, "neither a Goodreads"),
        (b"", 400, "empty"),
    ],
)
def test_a_file_that_is_no_export_is_a_400_naming_the_problem(user_client, data, status, message):
    response = _upload(user_client, data)
    assert response.status_code == status
    assert message in str(response.json())
    assert not LibraryImport.objects.exists()


def test_utf16_exports_upload(real_catalog, user_client):
    text = goodreads_file(_library_rows(2)).decode("utf-8")
    assert _imported(user_client, text.encode("utf-16"))["created_count"] == 2


def test_ten_megabytes_and_one_byte_is_413_and_ten_is_read(user_client, settings):
    limit = settings.LIBRARY_IMPORT_MAX_BYTES
    header = goodreads_file([goodreads_row(BOOKS[0])])
    padded = header + b"\r\n" * ((limit - len(header)) // 2)
    assert len(padded) == limit - (limit - len(header)) % 2
    assert _upload(user_client, padded).status_code == 202
    over = _upload(user_client, padded + b"\r\n" * ((limit + 1 - len(padded)) // 2 + 1))
    assert over.status_code == 413
    assert "limit is 10,485,760" in over.json()["file"][0]
    far_over = _upload(user_client, b"x" * (limit * 2))
    assert far_over.status_code == 413


def test_fifty_thousand_and_one_rows_is_a_400(user_client, settings):
    header = "Title,Author,ISBN,ISBN13,My Rating,Exclusive Shelf\n"
    data = (header + "It,Stephen King,,,5,read\n" * 50_001).encode()
    response = _upload(user_client, data)
    assert response.status_code == 400
    assert "more than 50,000 rows" in response.json()["file"][0]


def test_the_upload_needs_a_file(user_client):
    assert user_client.post(IMPORTS, {}, format="multipart").status_code == 400
    assert user_client.post(IMPORTS, {"file": "text"}, format="json").status_code == 415


def test_goodreads_export_downloads_for_the_reader_only(real_catalog, user_client, user):
    _imported(user_client, goodreads_file(_library_rows(3)))
    response = user_client.get("/api/v1/me/export/goodreads.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["Title"] for row in rows] == [book.title for book in BOOKS[:3]]
    assert APIClient().get("/api/v1/me/export/goodreads.csv").status_code in (401, 403)
