"""The counter model moves here from accounts. Its table, ``rate_limit_counters``, was created by
``accounts/0001_initial`` and stays as it is: this migration only takes the model into this app's state
(``accounts/0003`` drops it from that app's), so no row is touched and no lock is taken."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_database_cascades"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateLimitCounter",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "bucket",
                                "window_start",
                                blank=True,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("bucket", models.CharField(max_length=200)),
                        ("window_start", models.DateTimeField()),
                        ("hits", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "rate_limit_counters",
                        "indexes": [models.Index(fields=["window_start"], name="rate_limit_window_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
