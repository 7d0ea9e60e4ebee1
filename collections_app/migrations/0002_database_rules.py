"""Cascades in the database, and the membership invariant as composite foreign keys:

- ``group_books (collection_id, book_id) → collection_books``: a book in a group is in the collection, and
  removing it from the collection removes it from the collection's groups;
- ``group_books (group_id, collection_id) → groups (id, collection_id)``: the collection is the group's own.
"""

from django.db import migrations

from core.db import cascade_on_delete

COMPOSITE_FKS = """
ALTER TABLE group_books ADD CONSTRAINT group_books_in_collection_fk
    FOREIGN KEY (collection_id, book_id) REFERENCES collection_books (collection_id, book_id)
    ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE group_books ADD CONSTRAINT group_books_group_collection_fk
    FOREIGN KEY (group_id, collection_id) REFERENCES groups (id, collection_id)
    ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
"""
DROP_COMPOSITE_FKS = """
ALTER TABLE group_books DROP CONSTRAINT group_books_group_collection_fk;
ALTER TABLE group_books DROP CONSTRAINT group_books_in_collection_fk;
"""


class Migration(migrations.Migration):
    dependencies = [("collections_app", "0001_initial")]

    operations = [
        cascade_on_delete("collections", "created_by_id", "users"),
        cascade_on_delete("groups", "collection_id", "collections"),
        cascade_on_delete("collection_books", "collection_id", "collections"),
        cascade_on_delete("collection_books", "book_id", "books"),
        cascade_on_delete("group_books", "group_id", "groups"),
        cascade_on_delete("group_books", "book_id", "books"),
        cascade_on_delete("group_books", "collection_id", "collections"),
        migrations.RunSQL(COMPOSITE_FKS, reverse_sql=DROP_COMPOSITE_FKS),
    ]
