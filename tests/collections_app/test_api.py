from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from collections_app import services
from collections_app.models import CollectionBook, CollectionGroup
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory
from tests.clients import client_for, key_client
from tests.collections_app.factories import CollectionFactory
from tests.collections_app.helpers import assert_invariants

pytestmark = pytest.mark.django_db


def test_create_collection_with_counts(user_client):
    response = user_client.post(
        "/api/v1/collections/", {"name": "Summer reads", "visibility": "public"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["group_count"], body["book_count"], body["groups"]) == (0, 0, [])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": "ok", "visibility": "secret"}, "visibility"),
        ({}, "name"),
    ],
)
def test_bad_collection_input_is_400(user_client, payload, field):
    response = user_client.post("/api/v1/collections/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_whitespace_only_name_is_400(user_client):
    response = user_client.post("/api/v1/collections/", {"name": "   "}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize(
    ("visibility", "viewer", "listed", "readable"),
    [
        ("private", "owner", True, True),
        ("private", "other", False, False),
        ("private", "anonymous", False, False),
        ("unlisted", "owner", True, True),
        ("unlisted", "other", False, True),
        ("unlisted", "anonymous", False, True),
        ("public", "owner", True, True),
        ("public", "other", True, True),
        ("public", "anonymous", True, True),
    ],
)
def test_visibility_matrix(visibility, viewer, listed, readable):
    collection = CollectionFactory(visibility=visibility)
    client = {
        "owner": client_for(collection.created_by),
        "other": client_for(UserFactory()),
        "anonymous": client_for(),
    }[viewer]
    ids = [row["id"] for row in client.get("/api/v1/collections/").json()["results"]]
    assert (str(collection.pk) in ids) is listed
    assert client.get(f"/api/v1/collections/{collection.pk}/").status_code == (200 if readable else 404)


def test_site_curated_collections_are_listed_for_everyone():
    curated = services.collection_create(owner=None, name="Staff picks", visibility="public")
    ids = [row["id"] for row in client_for().get("/api/v1/collections/").json()["results"]]
    assert str(curated.pk) in ids
    assert (
        client_for(UserFactory())
        .patch(f"/api/v1/collections/{curated.pk}/", {"name": "Mine"}, format="json")
        .status_code
        == 403
    )


def test_others_cannot_change_or_add_to_private_collections_404():
    collection = CollectionFactory(visibility="private")
    book = BookFactory()
    other = client_for(UserFactory())
    assert (
        other.patch(f"/api/v1/collections/{collection.pk}/", {"name": "x"}, format="json").status_code == 404
    )
    assert other.put(f"/api/v1/collections/{collection.pk}/books/{book.pk}/").status_code == 404
    assert other.delete(f"/api/v1/collections/{collection.pk}/").status_code == 404
    assert not CollectionBook.objects.exists()


def test_others_cannot_change_public_collections_403():
    collection = CollectionFactory(visibility="public")
    assert client_for(UserFactory()).delete(f"/api/v1/collections/{collection.pk}/").status_code == 403


def test_book_put_delete_are_idempotent(user):
    collection = CollectionFactory(created_by=user)
    book = BookFactory()
    client = client_for(user)
    url = f"/api/v1/collections/{collection.pk}/books/{book.pk}/"
    assert [client.put(url).status_code for _ in range(2)] == [204, 204]
    assert CollectionBook.objects.count() == 1
    assert [client.delete(url).status_code for _ in range(2)] == [204, 204]
    assert (
        client.put(
            f"/api/v1/collections/{collection.pk}/books/00000000-0000-0000-0000-000000000000/"
        ).status_code
        == 404
    )


def test_groups_crud_rename_and_move(user):
    collection = CollectionFactory(created_by=user)
    client = client_for(user)
    base = f"/api/v1/collections/{collection.pk}/groups/"
    ids = [client.post(base, {"name": name}, format="json").json()["id"] for name in "ABC"]
    assert client.patch(f"{base}{ids[2]}/", {"position": 0}, format="json").json()["position"] == 0
    assert [g["name"] for g in client.get(base).json()] == ["C", "A", "B"]
    assert client.patch(f"{base}{ids[0]}/", {"name": "Renamed"}, format="json").json()["name"] == "Renamed"
    assert client.patch(f"{base}{ids[0]}/", {"position": 99}, format="json").json()["position"] == 2
    assert client.delete(f"{base}{ids[2]}/").status_code == 204
    assert [g["position"] for g in client.get(base).json()] == [0, 1]
    assert_invariants(collection)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": "ok", "position": -1}, "position"),
        ({"name": "ok", "position": 1.5}, "position"),
        ({"name": "ok", "position": "first"}, "position"),
    ],
)
def test_bad_group_input_is_400(user, payload, field):
    collection = CollectionFactory(created_by=user)
    response = client_for(user).post(f"/api/v1/collections/{collection.pk}/groups/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_duplicate_group_name_is_400(user):
    collection = CollectionFactory(created_by=user)
    client = client_for(user)
    client.post(f"/api/v1/collections/{collection.pk}/groups/", {"name": "A"}, format="json")
    response = client.post(f"/api/v1/collections/{collection.pk}/groups/", {"name": "A"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_group_books_put_at_position_move_and_remove(user):
    collection = CollectionFactory(created_by=user)
    group = services.group_create(collection=collection, name="A")
    books = BookFactory.create_batch(3)
    client = client_for(user)
    url = f"/api/v1/collections/{collection.pk}/groups/{group.pk}/books/"
    for book in books:
        assert client.put(f"{url}{book.pk}/", format="json").status_code == 204
    assert client.put(f"{url}{books[2].pk}/", {"position": 0}, format="json").status_code == 204
    assert client.put(f"{url}{books[0].pk}/", {"position": -1}, format="json").status_code == 400
    assert client.put(f"{url}{books[0].pk}/", {"position": "x"}, format="json").status_code == 400
    entries = client.get(url).json()["results"]
    assert [(e["position"], e["book"]["id"]) for e in entries] == [
        (0, str(books[2].pk)),
        (1, str(books[0].pk)),
        (2, str(books[1].pk)),
    ]
    detail = client.get(f"/api/v1/collections/{collection.pk}/").json()
    assert [group["book_count"] for group in detail["groups"]] == [3]
    assert client.delete(f"{url}{books[0].pk}/").status_code == 204
    assert detail["book_count"] == 3
    assert_invariants(collection)


@pytest.mark.parametrize("size", [2, 12])
def test_collection_detail_query_count_is_constant(user, size):
    collection = CollectionFactory(created_by=user)
    books = BookFactory.create_batch(size)
    for g in range(size):
        group = services.group_create(collection=collection, name=f"G{g}")
        for book in books:
            services.group_put_book(group=group, book=book)
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get(f"/api/v1/collections/{collection.pk}/")
    body = response.json()
    assert [group["book_count"] for group in body["groups"]] == [size] * size
    # throttle counter, the collection with its counts and groups
    assert len(queries) == 2, [q["sql"] for q in queries]


@pytest.mark.parametrize("page_size", [5, 50])
def test_collection_list_query_count_is_constant(user, page_size):
    for _ in range(60):
        CollectionFactory(created_by=user)
    with CaptureQueriesContext(connection) as queries:
        response = client_for(user).get("/api/v1/collections/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    assert len(queries) == 3  # throttle counter, count, page with counts


def test_api_key_needs_collections_write(user):
    def create(client):
        return client.post("/api/v1/collections/", {"name": "x"}, format="json").status_code

    assert create(key_client(user, [])) == 403
    assert create(key_client(user, ["collections:write"])) == 201
    assert CollectionGroup.objects.count() == 0


def test_each_group_lists_its_books_in_order_and_the_collection_lists_each_book_once(user_client, user):
    collection = services.collection_create(owner=user, name="Shelves")
    first, second, loose = BookFactory(title="First"), BookFactory(title="Second"), BookFactory(title="Loose")
    services.collection_set_books(collection=collection, books=[first, second, loose])
    now = services.group_create(collection=collection, name="Now")
    later = services.group_create(collection=collection, name="Later")
    services.group_set_books(group=now, books=[second, first])
    services.group_set_books(group=later, books=[first])
    base = f"/api/v1/collections/{collection.pk}"
    body = user_client.get(f"{base}/").json()
    placed = {
        group["name"]: [
            (e["position"], e["book"]["title"])
            for e in user_client.get(f"{base}/groups/{group['id']}/books/").json()["results"]
        ]
        for group in body["groups"]
    }
    assert placed == {"Now": [(0, "Second"), (1, "First")], "Later": [(0, "First")]}
    assert [(group["name"], group["book_count"]) for group in body["groups"]] == [("Now", 2), ("Later", 1)]
    members = user_client.get(f"{base}/books/").json()
    assert sorted(row["book"]["title"] for row in members["results"]) == ["First", "Loose", "Second"]
    assert members["count"] == 3 and set(members["results"][0]["book"]) == {
        "id",
        "title",
        "author",
        "cover_image_url",
    }


@pytest.mark.parametrize("page_size", [7, 100])
def test_a_large_collection_pages_to_its_end_in_constant_queries(user, page_size):
    collection = services.collection_create(owner=user, name="Large")
    books = BookFactory.create_batch(23)
    services.collection_set_books(collection=collection, books=books)
    group = services.group_create(collection=collection, name="All")
    services.group_set_books(group=group, books=list(reversed(books)))
    client = client_for(user)
    for url, key in [
        (f"/api/v1/collections/{collection.pk}/books/", "added_at"),
        (f"/api/v1/collections/{collection.pk}/groups/{group.pk}/books/", "position"),
    ]:
        seen, queries_per_page = [], set()
        while url:
            with CaptureQueriesContext(connection) as queries:
                page = client.get(url, {"page_size": page_size} if "page_size" not in url else {}).json()
            queries_per_page.add(len(queries))
            seen += page["results"]
            url = page["next"]
        assert len(seen) == 23 and len({row["book"]["id"] for row in seen}) == 23
        assert [row[key] for row in seen] == sorted(row[key] for row in seen)
        # throttle counter, the collection (or group) it may read, the count, the page
        assert queries_per_page == {4}, queries_per_page
    entries = client.get(f"/api/v1/collections/{collection.pk}/groups/{group.pk}/books/").json()["results"]
    assert [row["book"]["id"] for row in entries] == [str(book.pk) for book in reversed(books)][:20]


def test_the_book_lists_of_a_private_collection_are_404_for_others(user):
    collection = services.collection_create(owner=user, name="Mine", visibility="private")
    group = services.group_create(collection=collection, name="G")
    stranger = client_for(UserFactory())
    base = f"/api/v1/collections/{collection.pk}"
    for url in [f"{base}/books/", f"{base}/groups/{group.pk}/books/"]:
        assert stranger.get(url).status_code == 404
        assert client_for(user).get(url).status_code == 200
    other = services.collection_create(owner=user, name="Other")
    assert client_for(user).get(f"/api/v1/collections/{other.pk}/groups/{group.pk}/books/").status_code == 404


@pytest.mark.parametrize(
    "added_at",
    [
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_a_collections_books_carry_their_dates_as_every_other_endpoint(user_client, user, added_at):
    collection = services.collection_create(owner=user, name="Dated")
    book = BookFactory()
    services.collection_add_book(collection=collection, book=book)
    CollectionBook.objects.filter(collection=collection).update(added_at=added_at)
    body = user_client.get(f"/api/v1/collections/{collection.pk}/books/").json()
    assert body["results"][0]["added_at"] == serializers.DateTimeField().to_representation(added_at)
