"""The specifications' index names (README, "From the specification to Django"): Folio's equivalents renamed in
place, and the indexes a specification asks for that Folio lacked."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.db import index_renamed_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_specification_index_names"),
        ("reviews", "0004_moderation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="review",
            new_name="idx_reviews_rating",
            old_name="reviews_rating_idx",
        ),
        index_renamed_in_place(
            "reviews_book_id_b7e9bb6d",
            "idx_reviews_book",
            migrations.AlterField(
                model_name="review",
                name="book",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="reviews",
                    to="catalog.book",
                ),
            ),
            migrations.AddIndex(
                model_name="review",
                index=models.Index(fields=["book"], name="idx_reviews_book"),
            ),
        ),
        index_renamed_in_place(
            "reviews_user_id_c23b0903",
            "idx_reviews_user",
            migrations.AlterField(
                model_name="review",
                name="user",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="reviews",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            migrations.AddIndex(
                model_name="review",
                index=models.Index(fields=["user"], name="idx_reviews_user"),
            ),
        ),
    ]
