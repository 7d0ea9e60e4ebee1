import pytest
from django.db import connection

from favorites.models import UserFavorite
from favorites.services import favorite_add
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory

pytestmark = pytest.mark.django_db


def _introspect(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def test_primary_key_is_user_id_book_id():
    rows = _introspect(
        """
        SELECT a.attname FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = 'user_favorites'::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey, a.attnum)
        """
    )
    assert [row[0] for row in rows] == ["user_id", "book_id"]


def test_both_foreign_keys_cascade_in_the_database_and_are_indexed():
    rows = _introspect(
        """
        SELECT a.attname, con.confdeltype FROM pg_constraint con
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
        WHERE con.conrelid = 'user_favorites'::regclass AND con.contype = 'f' ORDER BY a.attname
        """
    )
    assert rows == [("book_id", "c"), ("user_id", "c")]
    indexed = _introspect(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'user_favorites' AND NOT indexname LIKE '%%pkey'"
    )
    assert any("(book_id)" in row[0] for row in indexed)
    assert any("(user_id" in row[0] for row in indexed)


def test_created_at_has_a_database_default():
    user, book = UserFactory(), BookFactory()
    _introspect("INSERT INTO user_favorites (user_id, book_id) VALUES (%s, %s)", [user.pk, book.pk])
    assert UserFavorite.objects.get().created_at is not None


@pytest.mark.parametrize("table", ["users", "books"])
def test_raw_sql_delete_of_a_user_or_book_removes_favorites(table):
    user, book = UserFactory(), BookFactory()
    favorite_add(user=user, book=book)
    _introspect(f"DELETE FROM {table} WHERE id = %s", [user.pk if table == "users" else book.pk])
    assert not UserFavorite.objects.exists()
