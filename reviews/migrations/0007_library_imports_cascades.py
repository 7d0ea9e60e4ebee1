"""The library import tables' foreign keys act in the database itself, as every other Folio table's do:
deleting a reader (even with raw SQL) deletes their imports and rows; deleting a book leaves a row that
named it unmatched."""

from django.db import migrations

from core.db import cascade_on_delete, on_delete_in_database


class Migration(migrations.Migration):
    dependencies = [("reviews", "0006_library_imports")]

    operations = [
        cascade_on_delete("library_imports", "user_id", "users"),
        cascade_on_delete("library_import_rows", "library_import_id", "library_imports"),
        on_delete_in_database("library_import_rows", "book_id", "books", "SET NULL"),
    ]
