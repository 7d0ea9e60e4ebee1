from django.db import migrations

from core.db import cascade_on_delete


class Migration(migrations.Migration):
    dependencies = [("favorites", "0001_initial")]

    operations = [
        cascade_on_delete("user_favorites", "user_id", "users"),
        cascade_on_delete("user_favorites", "book_id", "books"),
    ]
