"""Reads and writes at real scale: Folio served by gunicorn (production settings, 2 workers) on loopback,
each read endpoint next to a bare view that replays the same SQL and encodes it with orjson, driven by wrk
in alternating rounds; results and PASS/FAIL against the targets in bench/results.md.

    .venv/bin/python bench/api.py [--rounds 3] [--seconds 5] [--connections 4]

Needs ``wrk`` (Debian: ``apt-get install wrk``). Builds the scale data set in ``folio_bench`` once
(bench/scale.py) and reuses it. See bench/README.md for what each figure means.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPConnection
from io import StringIO

from _django import ROOT, setup

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--seconds", type=int, default=5, help="length of each wrk run")
parser.add_argument("--connections", type=int, default=4)
parser.add_argument("--writers-seconds", type=int, default=10)
parser.add_argument("--only", default="", help="comma-separated endpoint names (a quicker partial run)")
args = parser.parse_args()

if shutil.which("wrk") is None:
    sys.exit("bench/api.py needs wrk: apt-get install wrk")

os.environ.setdefault("THROTTLE_ANON", "1000000000/hour")  # the in-process capture is one busy client
# The curator's session is made here and read by the server: both must sign with the same key.
SECRET_KEY = "folio-bench-secret-key-that-is-long-and-random-enough-0123456789abcdef"
os.environ["SECRET_KEY"] = SECRET_KEY
setup()
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.core.management import CommandError, call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts import services as accounts  # noqa: E402
from accounts.models import SubscriptionTier, User  # noqa: E402
from catalog.models import Book  # noqa: E402
from collections_app.models import Collection  # noqa: E402
from core.pipelining import statements_of  # noqa: E402
from reviews import services as reviews  # noqa: E402
from reviews.models import Review  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"
STATEMENTS_FILE = BENCH_DIR / "bare-statements.json"
RESULTS = ROOT / "bench" / "results.md"
WRITERS = 16


# --- the endpoints ----------------------------------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    bare: bool = True  # measured next to its bare replay


def _reader_with_key() -> tuple[User, str]:
    """A reader with ratings and favorites, on the largest plan, with a key that never hits its limit."""
    reader = (
        User.objects.filter(email__startswith="reader", favorites__isnull=False).order_by("email").first()
    )
    assert reader is not None, "the scale data set has no reader with favorites"
    accounts.user_set_tier(user=reader, tier=SubscriptionTier.ENTERPRISE)
    _key, secret = accounts.api_key_create(
        user=reader, name=f"bench {time.time():.0f}", permissions=["reviews:write"], rate_limit=100_000
    )
    return reader, secret


def _deepest_reviews_page(client: Client, book: Book) -> str:
    """Follow ``next`` from the first page of the book's reviews to the last one."""
    url = f"/api/v1/books/{book.pk}/reviews/"
    while True:
        body = client.get(url).json()
        if not body["next"]:
            return url
        parsed = urllib.parse.urlsplit(body["next"])
        url = f"{parsed.path}?{parsed.query}"


def _curator_session() -> str:
    curator, _ = User.objects.get_or_create(
        email="bench-curator@example.invalid", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(curator)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def endpoints() -> tuple[list[Endpoint], dict]:
    _reader, secret = _reader_with_key()
    key = {"Authorization": f"Api-Key {secret}"}
    top = Book.objects.order_by("-total_reviews").first()
    assert top is not None
    small = Collection.objects.get(name=scale.SMALL_COLLECTION)
    large = Collection.objects.get(name=scale.LARGE_COLLECTION)
    session = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={_curator_session()}"}
    found = [
        Endpoint("books", "/api/v1/books/"),
        Endpoint("books-key", "/api/v1/books/", key),
        Endpoint("book-detail", f"/api/v1/books/{top.pk}/"),
        Endpoint("search", "/api/v1/books/?search=harry%20potter"),
        Endpoint("reviews-first", f"/api/v1/books/{top.pk}/reviews/"),
        Endpoint("reviews-deepest", _deepest_reviews_page(Client(), top)),
        Endpoint("collection-10", f"/api/v1/collections/{small.pk}/"),
        Endpoint("collection-1000", f"/api/v1/collections/{large.pk}/"),
    ]
    for model in admin.site._registry:
        meta = model._meta
        found.append(
            Endpoint(
                f"admin-{meta.app_label}-{meta.model_name}",
                f"/admin/{meta.app_label}/{meta.model_name}/",
                session,
                bare=False,
            )  # fmt: skip
        )
    return found, {"top": top, "secret": secret}


def capture(endpoint: Endpoint) -> list[dict]:
    """The statements the endpoint runs (after a warm-up request), each with its SQL; a rate-limit count
    sent in the same query string as a read (``core.pipelining``) is a statement of its own."""
    client = Client(headers={name: value for name, value in endpoint.headers.items() if name != "Cookie"})
    if "Cookie" in endpoint.headers:
        client.cookies.load(endpoint.headers["Cookie"])
    assert client.get(endpoint.path).status_code == 200, endpoint
    with CaptureQueriesContext(connection) as queries:
        response = client.get(endpoint.path)
    assert response.status_code == 200, (endpoint, response.status_code)
    return [{"sql": sql} for query in queries.captured_queries for sql in statements_of(query["sql"])]


def replayable(queries: list[dict]) -> list[str]:
    """What the bare view replays: every statement but the rate-limit counter's."""
    return [query["sql"] for query in queries if "rate_limit_counters" not in query["sql"]]


# --- serving and driving -------------------------------------------------------------------------------------


def database_url() -> str:
    db = connection.settings_dict
    host = urllib.parse.quote(db["HOST"], safe="")
    return f"postgres://{db['USER']}@{host}/{db['NAME']}"


class Server:
    def __init__(self) -> None:
        with __import__("socket").socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url(),
            "LOG_LEVEL": "CRITICAL",
            "THROTTLE_ANON": "1000000000/hour",  # counted on every request, never refused
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "2",
            "BENCH_BARE_STATEMENTS": str(STATEMENTS_FILE),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("gunicorn did not become healthy")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


@dataclass
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def require_ok(url: str, headers: dict[str, str]) -> None:
    """A 200 (not a redirect to the sign-in page, not a 429) before anything is measured."""
    parts = urllib.parse.urlsplit(url)
    conn = HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{url} answered {response.status}, not 200")


def wrk(url: str, headers: dict[str, str]) -> Run:
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", url]
    for name, value in headers.items():
        command[1:1] = ["-H", f"{name}: {value}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors on {url}:\n{output}")

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        assert match, output
        return float(match.group(1)) * UNITS[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert rate, output
    return Run(float(rate.group(1)), latency("50"), latency("99"))


# --- writers ---------------------------------------------------------------------------------------------------


def writers(server: Server, top: Book) -> dict[str, list[float]]:
    """16 readers, each with a review of the most-reviewed book and of 50 random books, change their stars
    as fast as they can: all on the one book (every update takes that book's row lock), then each on its
    own random books."""
    books = list(Book.objects.order_by("?").values_list("pk", flat=True)[: 50 * WRITERS + 1])
    writer_keys: list[tuple[str, list[str]]] = []
    for index in range(WRITERS):
        email = f"bench-writer-{index}@example.invalid"
        user = User.objects.filter(email=email).first() or accounts.user_create(email=email, password=None)
        accounts.user_set_tier(user=user, tier=SubscriptionTier.ENTERPRISE)
        Review.objects.filter(user=user).delete()
        mine = [pk for pk in books if pk != top.pk][index * 50 : (index + 1) * 50]
        ids = [str(reviews.review_create(user=user, book=Book(pk=pk), rating=3).pk) for pk in [top.pk, *mine]]
        _key, secret = accounts.api_key_create(
            user=user, name=f"bench {time.time():.0f}", permissions=["reviews:write"], rate_limit=100_000
        )
        writer_keys.append((secret, ids))
    return {
        scenario: _write_for(server, writer_keys, hot=scenario == "one book")
        for scenario in ("one book", "random books")
    }


def _write_for(server: Server, writer_keys: list[tuple[str, list[str]]], *, hot: bool) -> list[float]:
    """Every writer in its own thread PATCHes its review's stars until the time is up; the latencies."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.writers_seconds

    def write(secret: str, ids: list[str]) -> None:
        conn = HTTPConnection("127.0.0.1", server.port, timeout=30)
        headers = {"Authorization": f"Api-Key {secret}", "Content-Type": "application/json"}
        mine: list[float] = []
        while time.monotonic() < deadline:
            review_id = ids[0] if hot else random.choice(ids[1:])
            body = json.dumps({"rating": random.randint(1, 5)})
            start = time.perf_counter()
            conn.request("PATCH", f"/api/v1/reviews/{review_id}/", body, headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - start) * 1000)
            assert response.status == 200, response.status
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=write, args=(secret, ids)) for secret, ids in writer_keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]


# --- the run -------------------------------------------------------------------------------------------------


def main() -> None:
    started = time.monotonic()
    scale.ensure()
    found, context = endpoints()
    if args.only:
        wanted = set(args.only.split(","))
        found = [endpoint for endpoint in found if endpoint.name in wanted]
    queries = {endpoint.name: capture(endpoint) for endpoint in found}
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    STATEMENTS_FILE.write_text(json.dumps({name: replayable(captured) for name, captured in queries.items()}))
    server = Server()
    runs: dict[str, list[Run]] = {}
    try:
        for round_number in range(args.rounds):
            print(f"round {round_number + 1} of {args.rounds}", flush=True)
            for endpoint in found:
                pair = [("folio", server.url + endpoint.path, endpoint.headers)]
                if endpoint.bare:
                    pair.append(("bare", f"{server.url}/bench/bare/{endpoint.name}/", {}))
                if round_number % 2:
                    pair.reverse()  # neither side always runs first
                for side, url, headers in pair:
                    if round_number == 0:
                        require_ok(url, headers)
                    runs.setdefault(f"{endpoint.name}/{side}", []).append(wrk(url, headers))
        written = writers(server, context["top"]) if not args.only or "writers" in args.only else {}
    finally:
        server.stop()
    check = StringIO()
    try:
        call_command("recompute_ratings", check=True, stdout=check)
        ratings_check = check.getvalue().strip()
    except CommandError as drift:
        ratings_check = str(drift)
    report(found, queries, runs, written, ratings_check, time.monotonic() - started)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _spread(values: list[float], digits: int = 0) -> str:
    return f"{_median(values):,.{digits}f} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def report(found, queries, runs, written, ratings_check: str, seconds: float) -> None:
    lines = [
        "# Folio at scale",
        "",
        f"Generated by `make bench` (`bench/api.py --rounds {args.rounds} --seconds {args.seconds} "
        f"--connections {args.connections}`) on {time.strftime('%Y-%m-%d')}: "
        f"{os.cpu_count()} cores, gunicorn with 2 sync workers and production settings on loopback, wrk with "
        f"{args.connections} connections. Data: {Book.objects.count():,} books, {User.objects.count():,} "
        f"users, {Review.objects.count():,} reviews. Each figure is the median of {args.rounds} rounds "
        "(min–max in brackets); each ratio is computed round by round, Folio against the bare replay of "
        "the same SQL run right beside it.",
        "",
        "| endpoint | queries | Folio req/s | bare req/s | ratio | Folio p50 ms | Folio p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    ratios: dict[str, list[float]] = {}
    for endpoint in found:
        folio = runs[f"{endpoint.name}/folio"]
        bare = runs.get(f"{endpoint.name}/bare")
        rate = [run.requests_per_second for run in folio]
        row = [
            f"`{endpoint.name}`",
            str(len(queries[endpoint.name])),
            _spread(rate),
            "—",
            "—",
            _spread([run.p50_ms for run in folio], 1),
            _spread([run.p99_ms for run in folio], 1),
        ]
        if bare:
            ratios[endpoint.name] = [
                f.requests_per_second / b.requests_per_second for f, b in zip(folio, bare, strict=True)
            ]
            row[3] = _spread([run.requests_per_second for run in bare])
            row[4] = _spread(ratios[endpoint.name], 2)
        lines.append("| " + " | ".join(row) + " |")

    def p50(name: str) -> float:
        return _median([run.p50_ms for run in runs[f"{name}/folio"]])

    def rate(name: str) -> float:
        return _median([run.requests_per_second for run in runs[f"{name}/folio"]])

    targets: list[tuple[str, str, bool]] = []

    def target(label: str, value: float, bound: float, at_least: bool) -> None:
        passed = value >= bound if at_least else value <= bound
        targets.append((label, f"{value:.3f} ({'≥' if at_least else '≤'} {bound})", passed))

    names = {endpoint.name for endpoint in found}
    for name, bound in (("books", 0.5), ("books-key", 0.5), ("book-detail", 0.6), ("reviews-first", 0.6)):
        if name in names:
            target(f"`{name}` ÷ bare", _median(ratios[name]), bound, True)
    if {"reviews-first", "reviews-deepest"} <= names:
        target(
            "deepest reviews page ÷ first page, req/s",
            rate("reviews-deepest") / rate("reviews-first"),
            0.9,
            True,
        )
    if {"search", "books"} <= names:
        target("`search` p50 ÷ `books` p50", p50("search") / p50("books"), 1.3, False)
    if {"collection-10", "collection-1000"} <= names:
        same = len(queries["collection-10"]) == len(queries["collection-1000"])
        targets.append(
            (
                "collection of 1,000 books: queries as for 10",
                f"{len(queries['collection-1000'])} and {len(queries['collection-10'])}",
                same,
            )
        )
        target(
            "collection of 1,000 books p50 ÷ of 10", p50("collection-1000") / p50("collection-10"), 2, False
        )
    admin_pages = [endpoint.name for endpoint in found if endpoint.name.startswith("admin-")]
    if admin_pages and "books" in names:
        most = max(admin_pages, key=lambda name: len(queries[name]))
        targets.append(
            (
                f"admin changelists: most queries ({most})",
                f"{len(queries[most])} (≤ 10)",
                len(queries[most]) <= 10,
            )
        )
        slowest = max(admin_pages, key=p50)
        target(
            f"admin changelists: slowest p50 ({slowest}) ÷ `books` p50", p50(slowest) / p50("books"), 3, False
        )
    imported = BENCH_DIR / "import_ratings.json"
    if imported.exists():
        figures = json.loads(imported.read_text())
        lines += [
            "",
            f"`import_ratings` of {figures['rows']:,} ratings (bench/import_ratings.py, earlier in `make bench`): "
            f"{figures['import_seconds']:.1f} s, against {figures['copy_seconds']:.1f} s for a raw `COPY` of the "
            "same rows into `reviews` in the same run.",
        ]
        target("`import_ratings` rows/s ÷ raw `COPY` rows/s", figures["ratio"], 0.8, True)
    if written:
        hot, spread = percentile(written["one book"], 99), percentile(written["random books"], 99)
        lines += [
            "",
            f"Writers: {WRITERS} readers changing their stars for {args.writers_seconds} s — all on the "
            f"most-reviewed book: {len(written['one book']):,} updates, p50 "
            f"{percentile(written['one book'], 50):.1f} ms, p99 {hot:.1f} ms; each on random books: "
            f"{len(written['random books']):,} updates, p50 {percentile(written['random books'], 50):.1f} ms, "
            f"p99 {spread:.1f} ms. `recompute_ratings --check` afterwards: {ratings_check}",
        ]
        target("16 writers on one book p99 ÷ on random books p99", hot / spread, 3, False)
        targets.append(
            ("ratings exact after the writers", ratings_check, "match its reviews" in ratings_check)
        )
    lines += ["", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {label} | {value} | {'PASS' if passed else 'FAIL'} |" for label, value, passed in targets]
    lines += ["", f"Run took {seconds / 60:.1f} minutes."]
    text = "\n".join(lines) + "\n"
    if not args.only:
        RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
