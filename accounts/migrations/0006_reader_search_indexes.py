"""Trigram indexes for the admin's reader search (``icontains`` on email, names and external id)."""

import django.contrib.postgres.indexes
import django.db.models.functions.comparison
import django.db.models.functions.text
from django.db import migrations, models

from core.db import ExtensionKeptOnReverse


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_uuid_keys"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        # The operator class comes with pg_trgm (catalog creates it too; whichever runs first does).
        ExtensionKeptOnReverse("pg_trgm"),
        migrations.AddIndex(
            model_name="user",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper(
                        django.db.models.functions.comparison.Cast("email", models.TextField())
                    ),
                    name="gin_trgm_ops",
                ),
                name="users_email_search_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="user",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper(
                        django.db.models.functions.comparison.Cast("first_name", models.TextField())
                    ),
                    name="gin_trgm_ops",
                ),
                name="users_first_search_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="user",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper(
                        django.db.models.functions.comparison.Cast("last_name", models.TextField())
                    ),
                    name="gin_trgm_ops",
                ),
                name="users_last_search_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="user",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper(
                        django.db.models.functions.comparison.Cast("external_auth_id", models.TextField())
                    ),
                    name="gin_trgm_ops",
                ),
                name="users_external_search_idx",
            ),
        ),
    ]
