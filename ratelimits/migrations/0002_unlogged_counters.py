"""Counting a request is not a durable write: ``rate_limit_counters`` becomes UNLOGGED, so the upsert every
API request makes writes no WAL and its commit waits on no disk flush. Limits stay exact across processes
(the counts live in shared tables as before); what is given up is durability: after a database crash
PostgreSQL empties an unlogged table, so every client starts its current window again from zero, and the
counts are not copied to standby servers."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ratelimits", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE rate_limit_counters SET UNLOGGED",
            reverse_sql="ALTER TABLE rate_limit_counters SET LOGGED",
        ),
    ]
