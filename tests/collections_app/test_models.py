import pytest
from django.db import DataError, IntegrityError, connection, transaction

from collections_app import services
from collections_app.models import Collection, CollectionBook, CollectionGroup, GroupBook
from tests.catalog.factories import BookFactory
from tests.collections_app.factories import CollectionFactory

pytestmark = pytest.mark.django_db


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.mark.parametrize("table", ["collection_books", "group_books"])
def test_membership_tables_have_composite_primary_keys(table):
    rows = _rows(
        """SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
           WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)""",
        [table],
    )
    assert [r[0] for r in rows] == (
        ["collection_id", "book_id"] if table == "collection_books" else ["group_id", "book_id"]
    )


def test_every_foreign_key_cascades_in_the_database():
    rows = _rows(
        """SELECT conrelid::regclass::text, conname, confdeltype FROM pg_constraint
           WHERE contype = 'f' AND conrelid::regclass::text IN ('collections', 'groups', 'collection_books', 'group_books')"""
    )
    assert len(rows) == 9
    assert {r[2] for r in rows} == {"c"}, rows


@pytest.mark.parametrize(("name", "ok"), [("", False), ("x" * 256, False), ("x", True), ("x" * 255, True)])
def test_collection_name_length_is_checked_by_the_database(name, ok):
    collection = CollectionFactory()
    update = lambda: Collection.objects.filter(pk=collection.pk).update(name=name)  # noqa: E731
    if ok:
        update()
    else:
        with pytest.raises((IntegrityError, DataError)), transaction.atomic():
            update()


def test_negative_positions_and_duplicate_group_names_are_refused_by_the_database():
    collection = CollectionFactory()
    group = services.group_create(collection=collection, name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectionGroup.objects.filter(pk=group.pk).update(position=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectionGroup.objects.create(collection=collection, name="A", position=1)


def test_position_ties_are_refused_at_commit():
    collection = CollectionFactory()
    services.group_create(collection=collection, name="A")
    second = services.group_create(collection=collection, name="B")
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectionGroup.objects.filter(pk=second.pk).update(position=0)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_book_cannot_be_in_a_group_without_being_in_the_collection():
    collection = CollectionFactory()
    group = services.group_create(collection=collection, name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupBook.objects.create(group=group, book=BookFactory(), collection=collection, position=0)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_raw_delete_from_the_collection_cascades_to_its_groups():
    collection = CollectionFactory()
    group = services.group_create(collection=collection, name="A")
    book = BookFactory()
    services.group_put_book(group=group, book=book)
    _rows("DELETE FROM collection_books WHERE collection_id = %s AND book_id = %s", [collection.pk, book.pk])
    assert not GroupBook.objects.exists()


@pytest.mark.parametrize("table", ["users", "books", "collections"])
def test_raw_deletes_cascade(table):
    collection = CollectionFactory()
    group = services.group_create(collection=collection, name="A")
    book = BookFactory()
    services.group_put_book(group=group, book=book)
    target = {"users": collection.created_by_id, "books": book.pk, "collections": collection.pk}[table]
    _rows(f"DELETE FROM {table} WHERE id = %s", [target])
    assert not GroupBook.objects.exists()
    assert not CollectionBook.objects.exists()


def test_site_curated_collections_must_be_public():
    with pytest.raises(IntegrityError), transaction.atomic():
        Collection.objects.create(name="Staff picks", created_by=None, visibility="private")
