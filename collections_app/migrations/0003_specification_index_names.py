"""The specifications' index names (README, "From the specification to Django"): Folio's equivalents renamed in
place, and the indexes a specification asks for that Folio lacked."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.db import index_renamed_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_specification_index_names"),
        ("collections_app", "0002_database_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="collection",
            new_name="idx_collections_name",
            old_name="collections_name_idx",
        ),
        migrations.RenameIndex(
            model_name="collection",
            new_name="idx_collections_created_at",
            old_name="collections_created_at_idx",
        ),
        migrations.RenameIndex(
            model_name="collectiongroup",
            new_name="idx_groups_position",
            old_name="groups_collection_position_idx",
        ),
        migrations.RenameIndex(
            model_name="groupbook",
            new_name="idx_group_books_position",
            old_name="group_books_group_position_idx",
        ),
        migrations.AlterField(
            model_name="collectiongroup",
            name="position",
            field=models.PositiveIntegerField(db_default=0),
        ),
        migrations.AlterField(
            model_name="groupbook",
            name="position",
            field=models.PositiveIntegerField(db_default=0),
        ),
        migrations.AddIndex(
            model_name="collectionbook",
            index=models.Index(fields=["added_at"], name="idx_collection_books_added_at"),
        ),
        migrations.AddIndex(
            model_name="collectiongroup",
            index=models.Index(fields=["created_at"], name="idx_groups_created_at"),
        ),
        migrations.AddIndex(
            model_name="groupbook",
            index=models.Index(fields=["added_at"], name="idx_group_books_added_at"),
        ),
        index_renamed_in_place(
            "collections_created_by_id_5ab31bef",
            "idx_collections_created_by",
            migrations.AlterField(
                model_name="collection",
                name="created_by",
                field=models.ForeignKey(
                    blank=True,
                    db_index=False,
                    help_text="Empty for a site-curated collection, which is always public.",
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="collections",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            migrations.AddIndex(
                model_name="collection",
                index=models.Index(fields=["created_by"], name="idx_collections_created_by"),
            ),
        ),
        index_renamed_in_place(
            "collection_books_book_id_14215999",
            "idx_collection_books_book_id",
            migrations.AlterField(
                model_name="collectionbook",
                name="book",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="collection_memberships",
                    to="catalog.book",
                ),
            ),
            migrations.AddIndex(
                model_name="collectionbook",
                index=models.Index(fields=["book"], name="idx_collection_books_book_id"),
            ),
        ),
        index_renamed_in_place(
            "groups_collection_id_4f42bd73",
            "idx_groups_collection_id",
            migrations.AlterField(
                model_name="collectiongroup",
                name="collection",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="groups",
                    to="collections_app.collection",
                ),
            ),
            migrations.AddIndex(
                model_name="collectiongroup",
                index=models.Index(fields=["collection"], name="idx_groups_collection_id"),
            ),
        ),
        index_renamed_in_place(
            "group_books_book_id_fa43cbf6",
            "idx_group_books_book_id",
            migrations.AlterField(
                model_name="groupbook",
                name="book",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="group_memberships",
                    to="catalog.book",
                ),
            ),
            migrations.AddIndex(
                model_name="groupbook",
                index=models.Index(fields=["book"], name="idx_group_books_book_id"),
            ),
        ),
    ]
