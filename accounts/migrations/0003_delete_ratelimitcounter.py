"""The rate-limit counter model now belongs to the ``ratelimits`` app (see ``ratelimits/0001``); its table
stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_database_cascades"),
        ("ratelimits", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RateLimitCounter")],
            database_operations=[],
        ),
    ]
