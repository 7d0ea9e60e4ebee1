"""A reader's data: all of it in one JSON archive (never a secret), and the account deleted with every row
it owns, by the database's cascades, leaving book ratings exact."""

import json
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import services as account_services
from catalog.models import Book
from collections_app import services as collection_services
from favorites.services import favorite_add
from reviews import library_services
from reviews.models import LibraryImport, Review
from reviews.services import ratings_recompute, review_create
from stories.media import story_media_folder
from stories.models import StoryChapter
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.catalog.factories import BookFactory
from tests.clients import key_client
from tests.reviews.library_exports import goodreads_file, goodreads_row, real_books
from tests.stories.factories import IntentFactory, RepositoryFactory, StoryFactory

pytestmark = pytest.mark.django_db


def _signed_in(user) -> APIClient:
    client = APIClient()
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)
    return client


def _a_full_library(reader) -> dict:
    """One of everything a reader can own."""
    books = BookFactory.create_batch(3)
    review_create(user=reader, book=books[0], rating=5, review_text="A favourite.")
    review_create(user=reader, book=books[1], rating=1)
    favorite_add(user=reader, book=books[2])
    collection = collection_services.collection_create(owner=reader, name="Summer")
    collection_services.collection_add_book(collection=collection, book=books[0])
    collection_services.collection_add_book(collection=collection, book=books[1])
    group = collection_services.group_create(collection=collection, name="Beach")
    collection_services.group_put_book(group=group, book=books[1])
    key, secret = account_services.api_key_create(user=reader, name="phone", permissions=["reviews:write"])
    repository = RepositoryFactory(user=reader)
    intent = IntentFactory(user=reader, repository=repository)
    story = StoryFactory(user=reader, repository=repository, intent=intent, script_text="Once upon a commit.")
    StoryChapter.objects.create(story=story, chapter_number=1, title="Start", script_segment="It began.")
    library_import = library_services.library_import_start(
        user=reader,
        file_name="gr.csv",
        data=goodreads_file([goodreads_row(real_books()[0], Private_Notes=str(uuid.uuid4()))]),
    )
    return {"books": books, "key": key, "secret": secret, "story": story, "import": library_import}


def test_the_archive_holds_everything_the_reader_owns_and_no_secret():
    reader = UserFactory()
    made = _a_full_library(reader)
    response = _signed_in(reader).get("/api/v1/me/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    archive = response.json()
    assert set(archive) == {
        "exported_at",
        "profile",
        "preferences",
        "api_keys",
        "reviews",
        "library_imports",
        "favorites",
        "collections",
        "repositories",
        "intents",
        "stories",
    }
    assert archive["profile"]["email"] == reader.email
    assert archive["preferences"]["theme"] == "modern"
    assert archive["api_keys"] == [
        {
            "name": "phone",
            "permissions": ["reviews:write"],
            "rate_limit": made["key"].rate_limit,
            "is_active": True,
            "last_used_at": None,
            "expires_at": None,
            "created_at": archive["api_keys"][0]["created_at"],
        }
    ]
    assert {(r["book"]["id"], r["rating"], r["review_text"]) for r in archive["reviews"]} == {
        (str(made["books"][0].pk), 5, "A favourite."),
        (str(made["books"][1].pk), 1, ""),
    }
    assert [f["book"]["id"] for f in archive["favorites"]] == [str(made["books"][2].pk)]
    (summer,) = archive["collections"]
    assert [b["book"]["id"] for b in summer["books"]] == [str(b.pk) for b in made["books"][:2]]
    assert summer["groups"][0]["name"] == "Beach"
    assert summer["groups"][0]["books"][0] == {
        "book": summer["books"][1]["book"],
        "position": 0,
        "added_at": summer["groups"][0]["books"][0]["added_at"],
    }
    assert archive["stories"][0]["chapters"][0]["script_segment"] == "It began."
    assert archive["stories"][0]["script_text"] == "Once upon a commit."
    assert len(archive["repositories"]) == len(archive["intents"]) == 1
    assert archive["library_imports"][0]["file_name"] == "gr.csv"
    text = json.dumps(archive)
    assert made["secret"] not in text
    assert made["key"].secret_hash not in text and made["key"].prefix not in text
    assert reader.password not in text


def test_the_archive_costs_the_same_queries_however_much_the_reader_owns(django_assert_num_queries):
    reader = UserFactory()
    client = _signed_in(reader)
    _a_full_library(reader)
    client.get("/api/v1/me/export/")  # the session's first request loads what later ones reuse
    # Session and user (one statement), the rate-limit count, then one query per section and per
    # prefetched level.
    with django_assert_num_queries(15):
        assert len(client.get("/api/v1/me/export/").json()["reviews"]) == 2
    _a_full_library(reader)
    _a_full_library(reader)
    with django_assert_num_queries(15):
        assert len(client.get("/api/v1/me/export/").json()["reviews"]) == 6


def test_the_archive_is_for_its_reader_only():
    assert APIClient().get("/api/v1/me/export/").status_code in (401, 403)


def _rows_referring_to(user_id) -> dict[str, int]:
    """For every foreign key to ``users`` in the database, the rows that still name this user."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conrelid::regclass::text, att.attname
            FROM pg_constraint con
            JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey)
            WHERE con.contype = 'f' AND con.confrelid = 'users'::regclass
            """
        )
        references = cursor.fetchall()
        counts = {}
        for table, column in references:
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" = %s', [user_id])
            counts[f"{table}.{column}"] = cursor.fetchone()[0]
    return counts


def _children_of(owned: dict[str, list]) -> dict[str, int]:
    """For every foreign key to a table that names the user, the rows that still point at one of the
    reader's rows there (``owned``: their ids, taken before the delete): a group, a chapter, a membership."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conrelid::regclass::text, att.attname, con.confrelid::regclass::text
            FROM pg_constraint con
            JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
            WHERE con.contype = 'f' AND con.confrelid::regclass::text = ANY(%s)
            """,
            [list(owned)],
        )
        counts = {}
        for table, column, parent in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text = ANY(%s)', [owned[parent]]
            )
            counts[f"{table}.{column}"] = cursor.fetchone()[0]
    return counts


def _owned_ids(user_id) -> dict[str, list]:
    owned = {}
    with connection.cursor() as cursor:
        for table_column in _rows_referring_to(user_id):
            table, column = table_column.split(".")
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'id'",
                [table],
            )
            if cursor.fetchone():
                cursor.execute(f'SELECT id::text FROM "{table}" WHERE "{column}" = %s', [user_id])
                owned[table] = [row[0] for row in cursor.fetchall()]
    return owned


def test_deleting_the_account_removes_every_row_it_owns_and_keeps_ratings_exact(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    reader, neighbour = UserFactory(), UserFactory()
    made = _a_full_library(reader)
    review_create(user=neighbour, book=made["books"][0], rating=3)
    story_media = story_media_folder(made["story"].pk)
    story_media.mkdir(parents=True)
    (story_media / "story.wav").write_bytes(b"RIFF")
    before = _rows_referring_to(reader.pk)
    assert sum(before.values()) >= 10 and len([n for n in before.values() if n]) >= 8
    owned = _owned_ids(reader.pk)
    children_before = _children_of(owned)
    assert children_before["groups.collection_id"] == 1 and children_before["story_chapters.story_id"] == 1
    assert children_before["library_import_files.library_import_id"] == 1  # not read by a worker yet

    client = _signed_in(reader)
    wrong = client.delete("/api/v1/me/", {"password": "not my password"}, format="json")
    assert wrong.status_code == 400 and "password" in wrong.json()
    assert client.delete("/api/v1/me/", {}, format="json").status_code == 400
    assert _rows_referring_to(reader.pk) == before

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete("/api/v1/me/", {"password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 204
    assert not story_media.exists()  # the story's audio went with it
    assert set(_rows_referring_to(reader.pk).values()) == {0}
    assert set(_children_of(owned).values()) == {0}
    assert not LibraryImport.objects.filter(pk=made["import"].pk).exists()
    assert Book.objects.get(pk=made["books"][0].pk).total_reviews == 1  # the neighbour's review only
    assert Review.objects.filter(user=neighbour).count() == 1
    assert ratings_recompute(check_only=True) == []
    assert client.get("/api/v1/me/").status_code in (401, 403)  # signed out


def test_an_api_key_cannot_delete_its_account():
    reader = UserFactory()
    client = key_client(reader, ["reviews:write", "collections:write", "favorites:write", "stories:write"])
    assert client.delete("/api/v1/me/", {"password": DEFAULT_PASSWORD}, format="json").status_code == 403
