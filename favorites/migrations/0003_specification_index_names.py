"""The specifications' index names (README, "From the specification to Django"): Folio's equivalents renamed in
place, and the indexes a specification asks for that Folio lacked."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.db import index_renamed_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_specification_index_names"),
        ("favorites", "0002_database_cascades"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        index_renamed_in_place(
            "user_favorites_user_id_cea7e2d2",
            "idx_user_favorites_user",
            migrations.AlterField(
                model_name="userfavorite",
                name="user",
                field=models.ForeignKey(
                    db_index=False,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="favorites",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            migrations.AddIndex(
                model_name="userfavorite",
                index=models.Index(fields=["user"], name="idx_user_favorites_user"),
            ),
        ),
    ]
