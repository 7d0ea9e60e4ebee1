"""Rate-limit counting in PostgreSQL next to Redis, in one run: hits per second, one thread and eight.

.venv/bin/python bench/rate_limits.py        (needs Debian's redis-server for the Redis column)

Every API request counts one hit, so this is the cost a limit adds to each request in either store. The
PostgreSQL counter table is UNLOGGED (ratelimits/0002); the first column measures it switched back to a
logged table for the length of the run, the cost every request paid before: a WAL flush on each commit.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _django import setup

setup()

import environ  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from ratelimits.services import rate_limit_hit  # noqa: E402

HITS = 20_000


def hits_per_second(threads: int, tag: str) -> float:
    per_thread = HITS // threads

    def work(index: int) -> None:
        try:
            for _ in range(per_thread):
                rate_limit_hit(bucket=f"bench:{tag}:{index % 4}", limit=10**9, window_seconds=3600)
        finally:
            connection.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(work, range(threads)))
    return per_thread * threads / (time.perf_counter() - start)


def measure(tag: str) -> dict[int, float]:
    hits_per_second(1, f"{tag}-warm-up")
    return {threads: hits_per_second(threads, tag) for threads in (1, 8)}


def main() -> None:
    executable = shutil.which("redis-server")
    if executable is None:
        sys.exit("redis-server is not installed (apt-get install redis-server).")
    with tempfile.TemporaryDirectory() as folder:
        socket_path = Path(folder) / "redis.sock"
        server = subprocess.Popen(
            [executable, "--port", "0", "--unixsocket", str(socket_path), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        try:
            while not socket_path.exists():
                time.sleep(0.05)
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE rate_limit_counters SET LOGGED")
            connection.close()  # back to the pool, which the eight threads need whole
            try:
                logged = measure(f"pg-logged-{time.time_ns()}")
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("ALTER TABLE rate_limit_counters SET UNLOGGED")
                connection.close()
            database = measure(f"pg-{time.time_ns()}")
            redis_cache = environ.Env.cache_url_config(f"redis://{socket_path}")
            with override_settings(CACHES={"default": redis_cache}):
                redis = measure(f"redis-{time.time_ns()}")
        finally:
            server.terminate()
            server.wait()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM rate_limit_counters WHERE bucket LIKE 'bench:%%'")
    print(f"{HITS:,} rate-limit hits per run (hits per second)")
    print(
        f"{'threads':>8} {'PG logged':>12} {'PG unlogged':>12} {'unlogged / logged':>18} {'Redis':>12} "
        f"{'Redis / PG unlogged':>20}"
    )
    for threads in (1, 8):
        print(
            f"{threads:>8} {logged[threads]:>12,.0f} {database[threads]:>12,.0f} "
            f"{database[threads] / logged[threads]:>17.1f}× {redis[threads]:>12,.0f} "
            f"{redis[threads] / database[threads]:>19.1f}×"
        )


if __name__ == "__main__":
    main()
