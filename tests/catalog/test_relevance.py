"""Search relevance on the real catalog: the 10,000 goodbooks books with the demo's 100,000 ratings drawn
from their real histograms (what ``make run`` serves), queried through ``books/?search=`` as a reader
types. Prints the score of each kind of query."""

from collections import defaultdict

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from catalog.models import Book
from tests.catalog.relevance import QUERIES

pytestmark = pytest.mark.django_db


def _reciprocal_rank(results: list[int], intended: int) -> float:
    return next((1 / rank for rank, found in enumerate(results[:10], 1) if found == intended), 0.0)


def test_readers_find_the_book_they_mean(capsys):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Book.objects.count() == 10_000
    source_ids = {str(pk): source for pk, source in Book.objects.values_list("pk", "source_book_id")}
    client = APIClient()
    by_kind: dict[str, list[float]] = defaultdict(list)
    misses = []
    for kind, query, intended in QUERIES:
        response = client.get("/api/v1/books/", {"search": query, "page_size": 10})
        assert response.status_code == 200, (query, response.content)
        found = [source_ids[book["id"]] for book in response.json()["results"]]
        score = _reciprocal_rank(found, intended)
        by_kind[kind].append(score)
        if score < 1:
            misses.append((query, score))
    scores = [score for kind_scores in by_kind.values() for score in kind_scores]
    mrr = sum(scores) / len(scores)
    first = sum(1 for score in scores if score == 1) / len(scores)
    with capsys.disabled():
        print(f"\nsearch relevance over {len(scores)} queries: MRR@10 {mrr:.3f}, first for {first:.0%}")
        for kind, kind_scores in by_kind.items():
            print(f"  {kind:15} MRR {sum(kind_scores) / len(kind_scores):.2f} over {len(kind_scores)}")
        for query, score in misses:
            print(f"  not first: {query!r} (reciprocal rank {score:.2f})")
    assert len(scores) >= 40
    assert mrr >= 0.9
    assert first >= 0.85
