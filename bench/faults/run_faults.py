"""Faults under a write load, on loopback, bounded (about a minute and a half):

1. ``kill -9`` of a gunicorn worker, three times (the master starts new ones);
2. an immediate PostgreSQL stop (no checkpoint, as in a crash), restarted 3 s later, the app left running;
3. ``kill -9`` of the task worker while it synthesises a story; a new worker takes over.

Eight clients write all along (reviews, favorites, group moves) and record every write the API
acknowledged. Afterwards: is every acknowledged write in the database, are the rating aggregates exact,
reviews unique, group positions dense, the story quota held; and how long each recovery took.

.venv/bin/python bench/faults/run_faults.py
"""

import collections
import io
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PYTHON,
    ROOT,
    Gunicorn,
    environment,
    prepare,
    request,
    start_database,
    stop_database_immediately,
)  # noqa: E402

CLIENTS = 8
GROUPS_PER_COLLECTION = 5


def seed() -> dict:
    """Users with keys, books, one collection of five groups per client, a repository for the story."""
    from common import django_setup, seed_books_and_readers

    django_setup()
    from repository import make_repository

    from accounts import services as accounts
    from collections_app import services as collections
    from stories.models import Repository

    run = str(int(time.time()))
    books, keyed = seed_books_and_readers(
        "Fault",
        books=400,
        readers=CLIENTS,
        permissions=["reviews:write", "favorites:write", "collections:write", "stories:write"],
    )
    clients = []
    for index, (user, secret) in enumerate(keyed):
        collection = collections.collection_create(owner=user, name=f"Faults {index}")
        groups = [
            str(collections.group_create(collection=collection, name=f"G{g}").pk)
            for g in range(GROUPS_PER_COLLECTION)
        ]
        clients.append(
            {"key": secret, "collection": str(collection.pk), "groups": groups, "user": str(user.pk)}
        )
    owner = accounts.user_create(email=f"fault-{run}-story@example.invalid", password=None)
    _key, story_key = accounts.api_key_create(user=owner, name="story", permissions=["stories:write"])
    # Saved directly: the API (production settings) refuses local paths; the bench's worker may read them.
    repository = Repository.objects.create(
        user=owner,
        repo_url=str(make_repository(ROOT / "var" / "faults" / "repo")),
        repo_name="shop",
        default_branch="master",
    )
    return {
        "books": [str(book.pk) for book in books],
        "clients": clients,
        "story_key": story_key,
        "story_user": owner,
        "repository": str(repository.pk),
    }


class Load:
    """Clients writing until stopped; every acknowledged write is remembered."""

    def __init__(self, url: str, data: dict):
        self.url = url
        self.data = data
        self.stop = threading.Event()
        self.acknowledged_reviews: list[str] = []
        self.acknowledged_favorites: list[tuple[str, str]] = []
        self.statuses: collections.Counter = collections.Counter()
        self.last_success = time.monotonic()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, args=(i,)) for i in range(CLIENTS)]

    def _record(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            if 200 <= status < 300:
                self.last_success = time.monotonic()

    def _client(self, index: int) -> None:
        client = self.data["clients"][index]
        books = self.data["books"][index::CLIENTS]
        step = 0
        while not self.stop.is_set() and step < len(books):
            book = books[step]
            status, body = request(
                "POST",
                f"{self.url}/api/v1/books/{book}/reviews/",
                {"rating": random.randint(1, 5)},
                client["key"],
            )
            self._record(status)
            if status == 201:
                with self.lock:
                    self.acknowledged_reviews.append(body["id"])
            status, _ = request("PUT", f"{self.url}/api/v1/books/{book}/favorite/", None, client["key"])
            self._record(status)
            if status == 204:
                with self.lock:
                    self.acknowledged_favorites.append((client["user"], book))
            group = random.choice(client["groups"])
            status, _ = request(
                "PATCH",
                f"{self.url}/api/v1/collections/{client['collection']}/groups/{group}/",
                {"position": random.randint(0, GROUPS_PER_COLLECTION)},
                client["key"],
            )
            self._record(status)
            step += 1
            time.sleep(0.05)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def wait_for_success_after(self, moment: float, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.last_success > moment:
                return self.last_success - moment
            time.sleep(0.05)
        return float("inf")


def start_worker(**extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", "--interval=0.2"],
        cwd=ROOT,
        # The worker reads the repository from this machine's disk, which production settings refuse.
        env=environment(
            DJANGO_SETTINGS_MODULE="config.settings.development",
            DEBUG="false",
            STORY_ALLOW_LOCAL_REPOSITORIES="true",
            STORY_LEASE_SECONDS="5",
            PYTHONPATH=str(Path(__file__).resolve().parent),
            **extra,
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def story_status(story_id: str) -> str:
    from stories.models import Story

    return Story.objects.get(pk=story_id).status


def wait_for_story(story_id: str, wanted: str, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if story_status(story_id) == wanted:
            return time.monotonic() - started
        time.sleep(0.1)
    return float("inf")


def main() -> None:
    prepare()
    data = seed()
    server = Gunicorn(workers=2)
    worker = start_worker(STORY_VOICE_BACKEND="slow_voice.SlowVoice")
    load = Load(server.url, data)
    results: dict[str, str] = {}
    began = time.monotonic()
    load.start()
    try:
        # 1. kill -9 of gunicorn workers
        time.sleep(3)
        for _ in range(3):
            victim = random.choice(server.worker_pids())
            killed_at = time.monotonic()
            subprocess.run(["kill", "-9", str(victim)], check=True)
            recovery = load.wait_for_success_after(killed_at)
            results.setdefault("gunicorn worker kill -9 (x3): first acknowledged write after", "")
            results["gunicorn worker kill -9 (x3): first acknowledged write after"] += f"{recovery:.2f} s "
            time.sleep(2)

        # 2. PostgreSQL stopped as in a crash, restarted 3 s later; the app is not restarted
        before_outage = dict(load.statuses)
        stop_database_immediately()
        stopped_at = time.monotonic()
        time.sleep(3)
        start_database()
        restarted_at = time.monotonic()
        recovery = load.wait_for_success_after(restarted_at)
        during = {code: load.statuses[code] - before_outage.get(code, 0) for code in load.statuses}
        results["PostgreSQL immediate stop, 3 s down: first acknowledged write after restart"] = (
            f"{recovery:.2f} s"
        )
        results["  answers while it was down and recovering"] = ", ".join(
            f"{code or 'no answer'}: {count}" for code, count in sorted(during.items()) if count
        )
        results["  task worker still running after the outage"] = "yes" if worker.poll() is None else "NO"
        results["  outage seen by clients (stop to first acknowledged write)"] = (
            f"{restarted_at - stopped_at + recovery:.2f} s"
        )

        # 3. kill -9 of the task worker mid-story
        from django.db import connections

        connections.close_all()  # this script's own connection died with the server
        status, story = request(
            "POST", f"{server.url}/api/v1/stories/", {"repository": data["repository"]}, data["story_key"]
        )
        assert status == 202, (status, story)
        reached = wait_for_story(story["id"], "synthesizing", 60)
        assert reached < 60, f"the story never reached synthesizing ({story_status(story['id'])})"
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        killed_at = time.monotonic()
        worker = start_worker(STORY_VOICE_BACKEND="stories.voices.NoVoice")
        failed_after = wait_for_story(story["id"], "failed", 90)
        assert failed_after < 90, f"the story was not failed ({story_status(story['id'])})"
        results["task worker kill -9 mid-story: story failed with a reason after"] = (
            f"{time.monotonic() - killed_at:.2f} s (lease 5 s, swept every 5 s)"
        )
        status, _ = request(
            "POST", f"{server.url}/api/v1/stories/{story['id']}/retry/", None, data["story_key"]
        )
        completed_after = wait_for_story(story["id"], "complete", 60)
        results["  retried: complete after"] = f"{completed_after:.2f} s (retry answered {status})"
    finally:
        load.finish()
        worker.terminate()
        worker.wait(timeout=30)
        server.stop()
    results["duration"] = f"{time.monotonic() - began:.1f} s"
    results.update(check(load, data))
    for name, value in results.items():
        print(f"{name}: {value}")


def check(load: Load, data: dict) -> dict[str, str]:
    from django.core.management import call_command
    from django.db import connection

    from favorites.models import UserFavorite
    from reviews.models import Review
    from stories.selectors import stories_used_this_month

    found = set(
        map(str, Review.objects.filter(pk__in=load.acknowledged_reviews).values_list("pk", flat=True))
    )
    lost_reviews = len(set(load.acknowledged_reviews) - found)
    favorites = {
        (str(user), str(book)) for user, book in UserFavorite.objects.values_list("user_id", "book_id")
    }
    lost_favorites = len(set(load.acknowledged_favorites) - favorites)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM (
                   SELECT array_agg(position ORDER BY position) AS positions, count(*) AS n
                   FROM groups GROUP BY collection_id
               ) g WHERE positions <> ARRAY(SELECT generate_series(0, g.n::int - 1))"""
        )
        undense = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM reviews GROUP BY user_id, book_id HAVING count(*) > 1) d"
        )
        duplicates = cursor.fetchone()[0]
    try:
        call_command("recompute_ratings", check=True, stdout=io.StringIO())
        aggregates = "exact"
    except Exception as exc:  # CommandError names the drift
        aggregates = f"DRIFT: {exc}"
    owner = data["story_user"]
    return {
        "acknowledged writes": f"{len(load.acknowledged_reviews)} reviews, {len(load.acknowledged_favorites)} favorites",
        "acknowledged writes lost": f"{lost_reviews} reviews, {lost_favorites} favorites",
        "all answers": ", ".join(
            f"{code or 'no answer'}: {count}" for code, count in sorted(load.statuses.items())
        ),
        "rating aggregates": aggregates,
        "duplicate reviews": str(duplicates),
        "collections with positions not 0..n-1": str(undense),
        "story quota": f"{stories_used_this_month(user=owner)} of {owner.usage_quota} used",
    }


if __name__ == "__main__":
    main()
