"""UUID keys, as the CodeStory and Delight specifications have them; rows kept (README, "From the
specification to Django")."""

import uuid

import django.contrib.postgres.functions
from django.db import migrations, models

from core.db import bigint_id_to_uuid


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0006_voice_id_length"),
    ]

    operations = [
        bigint_id_to_uuid(
            "story_chapters",
            "storychapter",
            models.UUIDField(
                db_default=django.contrib.postgres.functions.RandomUUID(),
                default=uuid.uuid4,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
    ]
