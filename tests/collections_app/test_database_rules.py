"""Rules the database keeps whatever writes: dense positions and a collection's ``updated_at``, checked
through raw SQL, cascades and the catalog's own services."""

from datetime import UTC, datetime

import pytest
from django.db import OperationalError, connection, transaction

from catalog.services import book_delete
from collections_app import services
from collections_app.models import Collection, CollectionGroup, GroupBook
from tests.catalog.factories import BookFactory
from tests.collections_app.factories import CollectionFactory
from tests.collections_app.helpers import assert_invariants
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)


def _sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _shelved(groups: int = 3, books: int = 5):
    collection = CollectionFactory()
    shelf = BookFactory.create_batch(books)
    made = [services.group_create(collection=collection, name=f"G{n}") for n in range(groups)]
    for group in made:
        services.group_set_books(group=group, books=shelf)
    return collection, made, shelf


def _positions(group) -> list[int]:
    return list(GroupBook.objects.filter(group=group).order_by("position").values_list("position", flat=True))


def test_a_raw_delete_of_books_in_a_group_closes_the_gaps_in_order():
    collection, groups, shelf = _shelved()
    _sql(
        "DELETE FROM group_books WHERE group_id = %s AND book_id = ANY(%s)",
        [groups[0].pk, [shelf[1].pk, shelf[3].pk]],
    )
    order = list(
        GroupBook.objects.filter(group=groups[0]).order_by("position").values_list("book_id", flat=True)
    )
    assert order == [shelf[0].pk, shelf[2].pk, shelf[4].pk]
    assert _positions(groups[0]) == [0, 1, 2]
    assert_invariants(collection)


def test_deleting_a_book_raw_or_through_the_catalog_keeps_every_group_dense():
    collections = [_shelved(), _shelved()]
    for _collection, _groups, shelf in collections:
        _sql("DELETE FROM books WHERE id = %s", [shelf[0].pk])
        book_delete(book=shelf[2])
    for collection, groups, _shelf in collections:
        assert all(_positions(group) == [0, 1, 2] for group in groups)
        assert_invariants(collection)


def test_a_raw_delete_of_groups_closes_their_collections_gaps():
    first, first_groups, _ = _shelved(groups=4, books=1)
    second, second_groups, _ = _shelved(groups=3, books=1)
    _sql(
        "DELETE FROM groups WHERE id = ANY(%s)",
        [[first_groups[0].pk, first_groups[2].pk, second_groups[1].pk]],
    )
    assert [g.name for g in CollectionGroup.objects.filter(collection=first).order_by("position")] == [
        "G1",
        "G3",
    ]
    for collection in (first, second):
        assert_invariants(collection)


def test_removing_a_book_from_the_collection_raw_cascades_and_closes_gaps():
    collection, groups, shelf = _shelved()
    _sql(
        "DELETE FROM collection_books WHERE collection_id = %s AND book_id = %s", [collection.pk, shelf[0].pk]
    )
    assert all(_positions(group) == [0, 1, 2, 3] for group in groups)
    assert_invariants(collection)


@pytest.mark.parametrize(
    "change",
    [
        "INSERT INTO groups (id, collection_id, name, description, position, created_at, updated_at)"
        " VALUES (gen_random_uuid(), %(c)s, 'Raw', '', 9, now(), now())",
        "UPDATE groups SET position = position WHERE collection_id = %(c)s",
        "DELETE FROM groups WHERE collection_id = %(c)s AND position = 0",
        "UPDATE group_books SET position = position WHERE collection_id = %(c)s",
        "DELETE FROM collection_books WHERE collection_id = %(c)s",
    ],
)
def test_a_collection_s_updated_at_moves_with_its_groups_and_books(change):
    collection, _groups, _shelf = _shelved(groups=2, books=2)
    Collection.objects.filter(pk=collection.pk).update(updated_at=LONG_AGO)
    _sql(change, {"c": collection.pk})
    collection.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        assert collection.updated_at == cursor.fetchone()[0]


def test_a_bulk_position_shift_moves_each_group_s_updated_at():
    collection, groups, _shelf = _shelved(groups=3, books=1)
    CollectionGroup.objects.filter(collection=collection).update(updated_at=LONG_AGO)
    _sql("UPDATE groups SET position = position + 10 WHERE collection_id = %s", [collection.pk])
    _sql("UPDATE groups SET position = position - 10 WHERE collection_id = %s", [collection.pk])
    assert not CollectionGroup.objects.filter(collection=collection, updated_at=LONG_AGO).exists()


@pytest.mark.django_db(transaction=True)
def test_racing_raw_deletes_in_one_group_leave_it_dense():
    collection, groups, shelf = _shelved(groups=1, books=8)

    def delete(book):
        def attempt():
            # As a client of raw SQL would: a deadlock between two renumberings is retried.
            for _ in range(20):
                try:
                    with transaction.atomic():
                        _sql("DELETE FROM group_books WHERE book_id = %s", [book.pk])
                    return None
                except OperationalError as error:
                    if "deadlock" not in str(error):
                        raise
            return "gave up"

        return attempt

    assert run_concurrently([delete(book) for book in shelf[::2]]) == [None] * 4
    order = list(
        GroupBook.objects.filter(group=groups[0]).order_by("position").values_list("book_id", flat=True)
    )
    assert order == [book.pk for book in shelf[1::2]]
    assert _positions(groups[0]) == list(range(4))
    assert_invariants(collection)
