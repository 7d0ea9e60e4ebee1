from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models
from django.db.models import F


class Migration(migrations.Migration):
    # Built concurrently: the reviews table is the big one, and writes must go on during a deploy.
    atomic = False

    dependencies = [
        ("reviews", "0002_database_cascades_and_rating_triggers"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="review",
            index=models.Index(F("created_at").desc(), F("id").desc(), name="reviews_newest_idx"),
        ),
        RemoveIndexConcurrently(
            model_name="review",
            name="reviews_created_at_idx",
        ),
    ]
