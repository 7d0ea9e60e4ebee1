from django.db import migrations

from core.db import cascade_on_delete


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        cascade_on_delete("book_genres", "book_id", "books"),
        cascade_on_delete("book_genres", "genre_id", "genres"),
    ]
