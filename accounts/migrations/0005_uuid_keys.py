"""UUID keys, as the CodeStory and Delight specifications have them; rows kept (README, "From the
specification to Django")."""

import uuid

import django.contrib.postgres.functions
from django.db import migrations, models

from core.db import bigint_id_to_uuid


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_raw_user_deletes_cascade"),
    ]

    operations = [
        bigint_id_to_uuid(
            "api_keys",
            "apikey",
            models.UUIDField(
                db_default=django.contrib.postgres.functions.RandomUUID(),
                default=uuid.uuid4,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
        bigint_id_to_uuid(
            "user_preferences",
            "userpreferences",
            models.UUIDField(
                db_default=django.contrib.postgres.functions.RandomUUID(),
                default=uuid.uuid4,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
    ]
