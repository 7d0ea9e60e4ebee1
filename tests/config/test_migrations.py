from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROOT = Path(__file__).resolve().parents[2]
APPS = ["ratelimits", "accounts", "catalog", "reviews", "favorites", "collections_app", "stories"]


def test_every_app_here_has_migrations():
    # Listed by hand so an app cannot drop out of the zero-and-back test unnoticed.
    for app in APPS:
        assert (ROOT / app / "migrations" / "0001_initial.py").exists(), app


def _pending_migrations() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("app", APPS)
def test_app_migrates_to_zero_and_back(app):
    call_command("migrate", app, "zero", verbosity=0)
    assert _pending_migrations(), f"{app} zero should leave migrations to apply"
    call_command("migrate", verbosity=0)
    assert _pending_migrations() == []


@pytest.mark.django_db(transaction=True)
def test_unapplying_accounts_keeps_the_vector_extension():
    call_command("migrate", "accounts", "zero", verbosity=0)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'vector'")
            assert cursor.fetchone() == (1,)
    finally:
        call_command("migrate", verbosity=0)
