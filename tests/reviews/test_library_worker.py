"""Library imports through a real worker process loop, and uploads that race."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from reviews.models import LibraryImport, Review
from tests.accounts.factories import UserFactory
from tests.reviews.library_exports import goodreads_file, goodreads_row, real_books
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE = Path(__file__).resolve().parents[2] / "catalog" / "data" / "goodbooks-10k" / "samples" / "books.csv"
BOOKS = real_books()


@pytest.fixture
def sample_catalog():
    call_command("import_books", str(SAMPLE), "--quiet-issues", stdout=StringIO(), stderr=StringIO())


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _upload(client: APIClient, data: bytes):
    return client.post(
        "/api/v1/me/imports/", {"file": SimpleUploadedFile("library.csv", data)}, format="multipart"
    )


def test_an_upload_is_run_by_the_worker_to_complete(sample_catalog):
    reader = UserFactory()
    client = _client(reader)
    data = goodreads_file([goodreads_row(book, My_Rating="4", Bookshelves="sample") for book in BOOKS[:20]])
    response = _upload(client, data)
    assert response.status_code == 202
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO(), stderr=StringIO()
    )
    done = client.get(f"/api/v1/me/imports/{response.json()['id']}/").json()
    assert (done["status"], done["rows_done"], done["created_count"]) == ("complete", 20, 20)
    assert Review.objects.filter(user=reader).count() == 20


def test_the_same_file_uploaded_twice_at_once_runs_once_and_the_other_is_409():
    reader = UserFactory()
    data = goodreads_file([goodreads_row(book, My_Rating="5") for book in BOOKS[:50]])
    statuses = run_concurrently([lambda: _upload(_client(reader), data).status_code for _ in range(4)])
    assert sorted(statuses) == [202, 409, 409, 409]
    assert LibraryImport.objects.filter(user=reader).count() == 1
    other = goodreads_file([goodreads_row(book, My_Rating="5") for book in BOOKS[50:60]])
    assert _upload(_client(reader), other).status_code == 202  # a different file is no conflict
    assert _upload(_client(UserFactory()), data).status_code == 202  # nor the same file of another reader
