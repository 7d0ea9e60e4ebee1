"""Search at the catalog's real size, measured side by side in one run (the data bench/import_ratings.py
leaves: the 10,000 goodbooks books, popularity from a million ratings):

- relevance: MRR@10 and the share of queries whose intended book comes first, over the test set of
  tests/catalog/relevance.py, through ``books/?search=``, per kind;
- speed: ``books/?search=`` (each query of the set in turn) against the plain ``books/`` list, requests
  alternating in one loop, in-process; the target is a search p50 within 1.3x the list's;
- ``books/suggest/?q=`` with the first letters of each query: the target is a p50 under 10 ms;
- the plan of a search, to show the indexes it reads.

    .venv/bin/python bench/search.py [--rounds 5]
"""

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict

from _django import ROOT, setup

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=5)
args = parser.parse_args()

os.environ.setdefault("THROTTLE_ANON", "100000000/hour")  # measure search, not the rate limiter
setup()
sys.path.insert(0, str(ROOT))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from catalog.models import Book  # noqa: E402
from catalog.selectors import candidate_query  # noqa: E402
from tests.catalog.relevance import QUERIES  # noqa: E402

SEARCH_TARGET = 1.3
SUGGEST_TARGET_MS = 10.0


def timed_get(client: Client, path: str, params: dict) -> float:
    start = time.perf_counter()
    response = client.get(path, params)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, params, response.status_code)
    return elapsed


def relevance(client: Client) -> None:
    source_ids = {str(pk): source for pk, source in Book.objects.values_list("pk", "source_book_id")}
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, query, intended in QUERIES:
        results = client.get("/api/v1/books/", {"search": query, "page_size": 10}).json()["results"]
        found = [source_ids[book["id"]] for book in results]
        by_kind[kind].append(next((1 / rank for rank, s in enumerate(found, 1) if s == intended), 0.0))
    scores = [score for kind_scores in by_kind.values() for score in kind_scores]
    first = sum(1 for score in scores if score == 1)
    print(
        f"relevance over {len(scores)} queries: MRR@10 {sum(scores) / len(scores):.3f}, first {first}/{len(scores)}"
    )
    for kind, kind_scores in by_kind.items():
        print(f"  {kind:15} MRR {sum(kind_scores) / len(kind_scores):.2f} ({len(kind_scores)} queries)")


def speed(client: Client) -> None:
    plain, search, suggest = [], [], []
    for _ in range(args.rounds):
        for _kind, query, _intended in QUERIES:
            plain.append(timed_get(client, "/api/v1/books/", {}))
            search.append(timed_get(client, "/api/v1/books/", {"search": query}))
            suggest.append(
                timed_get(client, "/api/v1/books/suggest/", {"q": query[: max(3, len(query) * 2 // 3)]})
            )
    ratio = statistics.median(search) / statistics.median(plain)
    suggest_p50 = statistics.median(suggest)
    print(f"\n{len(plain)} requests each, alternating, in-process:")
    print(f"  books/ (plain list)  p50 {statistics.median(plain):6.1f} ms")
    print(
        f"  books/?search=       p50 {statistics.median(search):6.1f} ms  ({ratio:.2f}x the list; target {SEARCH_TARGET}x: {'PASS' if ratio <= SEARCH_TARGET else 'FAIL'})"
    )
    print(
        f"  books/suggest/?q=    p50 {suggest_p50:6.1f} ms  (target < {SUGGEST_TARGET_MS:.0f} ms: {'PASS' if suggest_p50 < SUGGEST_TARGET_MS else 'FAIL'})"
    )


def plan() -> None:
    # A search first finds its candidates (this statement), then ranks them by id.
    sql, params = candidate_query("harry poter", "harry & poter:*", "harry poter")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        indexes = sorted(
            {line.split(" on ")[-1].split()[0] for (line,) in cursor.fetchall() if "Index Scan on" in line}
        )
    print(f"\nindexes a search reads: {', '.join(indexes)}")


def main() -> None:
    if Book.objects.count() < 10_000:
        sys.exit("Fewer than 10,000 books in folio_bench: run bench/import_ratings.py first.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE books")
    client = Client()
    relevance(client)
    speed(client)
    plan()


main()
