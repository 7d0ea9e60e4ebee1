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
