"""A soak: Folio under gunicorn (production settings, 2 workers) at a steady rate, 80% reads and 20%
writes, for --seconds (default 600). Prints errors, p50/p99 latency and the workers' memory growth.

.venv/bin/python bench/faults/soak.py [--seconds 600] [--rate 50]
"""

import argparse
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Gunicorn, django_setup, prepare, request, rss_kib, seed_books_and_readers  # noqa: E402

SENDERS = 16


def seed(readers: int) -> dict:
    django_setup()
    books, keyed = seed_books_and_readers(
        "Soak", books=2_000, readers=readers, permissions=["reviews:write", "favorites:write"]
    )
    return {"books": [str(book.pk) for book in books], "keys": [secret for _user, secret in keyed]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second, all senders together")
    args = parser.parse_args()
    prepare()
    # Each reader's key allows 1,000 requests an hour; enough readers that none runs out.
    data = seed(readers=max(8, int(args.rate * args.seconds / 800) + 1))
    server = Gunicorn(workers=2)
    workers = server.worker_pids()
    memory_before: dict[int, int] = {}
    warm_up = min(60.0, args.seconds / 4)  # memory is read after the caches and pools have filled
    threading.Timer(warm_up, lambda: memory_before.update({pid: rss_kib(pid) for pid in workers})).start()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    interval = SENDERS / args.rate

    def send(sender: int) -> None:
        rng = random.Random(sender)
        next_at = time.monotonic() + rng.random() * interval
        while next_at < deadline:
            time.sleep(max(0.0, next_at - time.monotonic()))
            key = rng.choice(data["keys"])
            book = rng.choice(data["books"])
            roll = rng.random()
            started = time.monotonic()
            if roll < 0.4:
                status, _ = request("GET", f"{server.url}/api/v1/books/?page={rng.randint(1, 50)}", key=key)
            elif roll < 0.6:
                status, _ = request(
                    "GET", f"{server.url}/api/v1/books/?search=soak+{rng.randint(1, 1999)}", key=key
                )
            elif roll < 0.8:
                status, _ = request("GET", f"{server.url}/api/v1/books/{book}/reviews/", key=key)
            elif roll < 0.9:
                status, _ = request("PUT", f"{server.url}/api/v1/books/{book}/favorite/", key=key)
            else:
                status, _ = request(
                    "POST", f"{server.url}/api/v1/books/{book}/reviews/", {"rating": rng.randint(1, 5)}, key
                )
                status = 201 if status == 409 else status  # this reader had reviewed it: an expected answer
            elapsed = time.monotonic() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
            next_at += interval

    began = time.monotonic()
    senders = [threading.Thread(target=send, args=(i,)) for i in range(SENDERS)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    took = time.monotonic() - began
    memory_after = {pid: rss_kib(pid) for pid in workers if Path(f"/proc/{pid}").exists()}
    server.stop()

    errors = sum(count for status, count in statuses.items() if status == 0 or status >= 500)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"duration: {took:.0f} s, {len(latencies):,} requests ({len(latencies) / took:.1f}/s), 80% reads")
    print(f"answers: {dict(sorted(statuses.items()))}")
    print(f"errors (5xx or no answer): {errors}")
    print(f"latency: p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms")
    for pid, before in memory_before.items():
        after = memory_after.get(pid)
        growth = f"{(after - before) / before * 100:+.1f}%" if after else "worker replaced"
        print(
            f"worker {pid} memory after {warm_up:.0f} s of warm-up: {before / 1024:.1f} MiB, at the end "
            f"{(after or 0) / 1024:.1f} MiB ({growth})"
        )


if __name__ == "__main__":
    main()
