"""The live schema against the specifications Folio translates: where a specification names an index on a
column Folio has, the index carries that name (SkillMeat's ``artifact`` is Folio's ``book``)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

# name: (table, the indexed columns as PostgreSQL writes them)
SPECIFIED_INDEXES = {
    # BRS (books, genres, reviews, favorites), section 4.2
    "idx_books_average_rating": ("books", "average_rating DESC"),
    "idx_book_genres_book": ("book_genres", "book_id"),
    "idx_book_genres_genre": ("book_genres", "genre_id"),
    "idx_reviews_user": ("reviews", "user_id"),
    "idx_reviews_book": ("reviews", "book_id"),
    "idx_reviews_rating": ("reviews", "rating"),
    "idx_user_favorites_user": ("user_favorites", "user_id"),
    # SkillMeat (collections and groups)
    "idx_collections_name": ("collections", "name"),
    "idx_collections_created_by": ("collections", "created_by_id"),
    "idx_collections_created_at": ("collections", "created_at"),
    "idx_groups_collection_id": ("groups", "collection_id"),
    "idx_groups_position": ("groups", 'collection_id, "position"'),
    "idx_groups_created_at": ("groups", "created_at"),
    "idx_collection_books_book_id": ("collection_books", "book_id"),
    "idx_collection_books_added_at": ("collection_books", "added_at"),
    "idx_group_books_book_id": ("group_books", "book_id"),
    "idx_group_books_position": ("group_books", 'group_id, "position"'),
    "idx_group_books_added_at": ("group_books", "added_at"),
}


def test_every_index_a_specification_names_exists_under_that_name_on_its_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(SPECIFIED_INDEXES)],
        )
        found = {
            name: (table, definition.split("USING btree (", 1)[1][:-1]) for name, table, definition in cursor
        }
    assert found == SPECIFIED_INDEXES


@pytest.mark.parametrize("table", ["groups", "group_books"])
def test_a_position_defaults_to_zero_in_the_database(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_default FROM information_schema.columns WHERE table_name = %s AND column_name = 'position'",
            [table],
        )
        assert cursor.fetchone() == ("0",)


def test_a_raw_delete_of_a_user_takes_their_admin_log_groups_and_permissions_along():
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from tests.accounts.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.create(name="Curators"))
    user.user_permissions.add(Permission.objects.first())
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Group),
        object_repr="x",
        action_flag=ADDITION,
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [user.pk])
        cursor.execute(
            "SELECT (SELECT count(*) FROM django_admin_log WHERE user_id = %(u)s)"
            " + (SELECT count(*) FROM users_groups WHERE user_id = %(u)s)"
            " + (SELECT count(*) FROM users_user_permissions WHERE user_id = %(u)s)",
            {"u": user.pk},
        )
        assert cursor.fetchone() == (0,)
    assert Group.objects.filter(name="Curators").exists()


def test_a_story_voice_id_holds_100_characters():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT character_maximum_length FROM information_schema.columns"
            " WHERE table_name = 'stories' AND column_name = 'voice_id'"
        )
        assert cursor.fetchone() == (100,)
