"""The specifications' index names (README, "From the specification to Django"): Folio's equivalents renamed in
place, and the indexes a specification asks for that Folio lacked."""

import django.db.models.deletion
from django.db import migrations, models

from core.db import index_renamed_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_match_score_plpgsql"),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="book",
            new_name="idx_books_average_rating",
            old_name="books_average_rating_idx",
        ),
        index_renamed_in_place(
            "book_genres_book_id_4c6da802",
            "idx_book_genres_book",
            migrations.AlterField(
                model_name="bookgenre",
                name="book",
                field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, to="catalog.book"
                ),
            ),
            migrations.AddIndex(
                model_name="bookgenre",
                index=models.Index(fields=["book"], name="idx_book_genres_book"),
            ),
        ),
        index_renamed_in_place(
            "book_genres_genre_id_63d275f3",
            "idx_book_genres_genre",
            migrations.AlterField(
                model_name="bookgenre",
                name="genre",
                field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, to="catalog.genre"
                ),
            ),
            migrations.AddIndex(
                model_name="bookgenre",
                index=models.Index(fields=["genre"], name="idx_book_genres_genre"),
            ),
        ),
    ]
