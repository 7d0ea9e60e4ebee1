"""Matching books described by another service (an ISBN, a title, an author) to the catalog, in bulk.

Each wanted book is tried, in order, by its Folio id (a file Folio exported), its ISBN-13, its ISBN-10, its
title and author (titles compared without accents, punctuation, a series or edition parenthesis, and then
without a subtitle), and last by trigram similarity of title and author, which forgives typos. Every
answer says how it was made and how sure it is; a wanted book that matches nothing, or several books
equally well, comes back unmatched with the reason and the best candidates, never silently dropped.

Every step is one statement for the whole batch (``unnest`` of the batch's arrays joined to indexed
expressions), so a batch of hundreds of rows costs a handful of queries.
"""

import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction

from catalog.isbn import InvalidIsbn, normalize_isbn
from catalog.models import Book

# How a match was made, best first.
BY_FOLIO_ID = "folio_id"
BY_ISBN13 = "isbn13"
BY_ISBN10 = "isbn10"
BY_TITLE_AUTHOR = "title_author"
BY_SIMILAR_TITLE = "similar_title"
METHODS = (BY_FOLIO_ID, BY_ISBN13, BY_ISBN10, BY_TITLE_AUTHOR, BY_SIMILAR_TITLE)

# Confidence of each exact method; a similar title's is its score.
_CONFIDENCE = {BY_FOLIO_ID: 1.0, BY_ISBN13: 1.0, BY_ISBN10: 1.0, BY_TITLE_AUTHOR: 0.95}
# A similar title is taken only above this combined score and clearly ahead of the runner-up.
SIMILAR_ACCEPT = 0.62
SIMILAR_MARGIN = 0.08
CANDIDATES_KEPT = 3
AMBIGUOUS_KEPT = 10  # every book a row could equally mean, so the reader can pick


@dataclass(frozen=True)
class WantedBook:
    title: str
    author: str
    isbn13: str = ""
    isbn10: str = ""
    folio_id: str = ""


@dataclass
class BookMatch:
    book_id: uuid.UUID | None = None
    method: str = ""
    confidence: float | None = None
    reason: str = ""
    candidates: list[dict] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.book_id is not None


def _isbn13(raw: str) -> str | None:
    try:
        return normalize_isbn(raw, repair_leading_zeros=True) if raw else None
    except InvalidIsbn:
        return None


def _folded_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [word for word in re.split(r"[^a-z0-9]+", folded) if len(word) > 1]


def _same_author(wanted: str, candidate: str) -> bool:
    """The wanted first author's last name is among the candidate's words, which name every author:
    "J.K. Rowling" is the "J.K. Rowling, Mary GrandPré" of the catalog. No author given: the title
    decides alone."""
    words = _folded_words(wanted.split(",")[0])
    return not words or words[-1] in _folded_words(candidate)


def _brief(book_id, title: str, author: str, score: float | None = None) -> dict:
    brief: dict[str, object] = {"id": str(book_id), "title": title, "author": author}
    if score is not None:
        brief["score"] = round(score, 3)
    return brief


def books_match(wanted: Sequence[WantedBook]) -> list[BookMatch]:
    """A ``BookMatch`` for each of ``wanted``, in the same order."""
    results = [BookMatch() for _ in wanted]
    open_ = set(range(len(wanted)))
    _match_by_ids(wanted, results, open_)
    _match_by_isbn(wanted, results, open_)
    for short in (False, True):
        _match_by_title_key(wanted, results, open_, short=short)
    _match_by_similar_title(wanted, results, open_)
    for n in open_:
        if not results[n].reason:
            results[n].reason = "The row has neither an ISBN in the catalog nor a title."
    return results


def _accept(result: BookMatch, book_id, method: str, confidence: float | None = None) -> None:
    result.book_id = book_id
    result.method = method
    result.confidence = _CONFIDENCE[method] if confidence is None else round(confidence, 3)
    result.reason = ""
    result.candidates = []


def _match_by_ids(wanted: Sequence[WantedBook], results: list[BookMatch], open_: set[int]) -> None:
    ids: dict[int, uuid.UUID] = {}
    for n in open_:
        try:
            ids[n] = uuid.UUID(wanted[n].folio_id) if wanted[n].folio_id else None  # type: ignore[assignment]
        except ValueError:
            continue
    ids = {n: book_id for n, book_id in ids.items() if book_id is not None}
    if not ids:
        return
    known = set(Book.objects.filter(pk__in=set(ids.values())).values_list("pk", flat=True))
    for n, book_id in ids.items():
        if book_id in known:
            _accept(results[n], book_id, BY_FOLIO_ID)
            open_.discard(n)


def _match_by_isbn(wanted: Sequence[WantedBook], results: list[BookMatch], open_: set[int]) -> None:
    tried: dict[int, list[tuple[str, str]]] = {}
    for n in open_:
        tries = []
        for method, raw in ((BY_ISBN13, wanted[n].isbn13), (BY_ISBN10, wanted[n].isbn10)):
            isbn = _isbn13(raw)
            if isbn:
                tries.append((method, isbn))
        if tries:
            tried[n] = tries
    isbns = {isbn for tries in tried.values() for _, isbn in tries}
    if not isbns:
        return
    by_isbn = dict(Book.objects.filter(isbn__in=isbns).values_list("isbn", "pk"))
    for n, tries in tried.items():
        for method, isbn in tries:
            if isbn in by_isbn:
                _accept(results[n], by_isbn[isbn], method)
                open_.discard(n)
                break


def _batch_arrays(wanted: Sequence[WantedBook], rows: list[int]) -> list:
    return [rows, [wanted[n].title for n in rows], [wanted[n].author for n in rows]]


def _match_by_title_key(
    wanted: Sequence[WantedBook], results: list[BookMatch], open_: set[int], *, short: bool
) -> None:
    rows = sorted(n for n in open_ if wanted[n].title.strip())
    if not rows:
        return
    key = "folio_title_short" if short else "folio_title_key"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT w.n, b.id, b.title, b.author
            FROM unnest(%s::int[], %s::text[]) AS w(n, title)
            JOIN books b ON {key}(b.title) = {key}(w.title)
            WHERE {key}(w.title) <> ''
            ORDER BY w.n, b.total_reviews DESC, b.id
            """,
            _batch_arrays(wanted, rows)[:2],
        )
        found: dict[int, list[tuple]] = {}
        for n, book_id, title, author in cursor.fetchall():
            found.setdefault(n, []).append((book_id, title, author))
    for n, books in found.items():
        same_author = [book for book in books if _same_author(wanted[n].author, book[2])]
        if len(same_author) == 1:
            _accept(results[n], same_author[0][0], BY_TITLE_AUTHOR)
            open_.discard(n)
        elif len(same_author) > 1:
            results[n].reason = "Several catalog books have this title and author; choose one."
            results[n].candidates = [_brief(*book) for book in same_author[:AMBIGUOUS_KEPT]]
        elif not results[n].candidates:
            results[n].reason = "A catalog book has this title, but by another author."
            results[n].candidates = [_brief(*book) for book in books[:CANDIDATES_KEPT]]


def _match_by_similar_title(wanted: Sequence[WantedBook], results: list[BookMatch], open_: set[int]) -> None:
    """Trigram similarity of the title keys (typos, a word missing) and of the authors, through the
    trigram index on folded titles (``<%``: the wanted title is close to a part of the catalog's)."""
    rows = sorted(n for n in open_ if wanted[n].title.strip())
    if not rows:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # Below the default of 0.6, so that two typos in a short title still find it.
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.5', true)")
        cursor.execute(
            """
            SELECT w.n, c.id, c.title, c.author, 0.7 * c.title_score + 0.3 * c.author_score AS score
            FROM unnest(%s::int[], %s::text[], %s::text[]) AS w(n, title, author)
            CROSS JOIN LATERAL (
                SELECT b.id, b.title, b.author,
                       similarity(folio_title_key(b.title), folio_title_key(w.title)) AS title_score,
                       CASE WHEN w.author = '' THEN 1
                            ELSE word_similarity(folio_fold(w.author), b.author_folded) END AS author_score
                FROM books b
                WHERE folio_title_key(w.title) <%% b.title_folded
                ORDER BY 0.7 * similarity(folio_title_key(b.title), folio_title_key(w.title))
                         + 0.3 * CASE WHEN w.author = '' THEN 1
                                      ELSE word_similarity(folio_fold(w.author), b.author_folded) END DESC,
                         b.total_reviews DESC, b.id
                LIMIT %s
            ) c
            WHERE folio_title_key(w.title) <> ''
            ORDER BY w.n, score DESC
            """,
            [*_batch_arrays(wanted, rows), CANDIDATES_KEPT + 1],
        )
        found: dict[int, list[tuple]] = {}
        for n, book_id, title, author, score in cursor.fetchall():
            found.setdefault(n, []).append((book_id, title, author, float(score)))
    for n in rows:
        books = found.get(n, [])
        best = books[0] if books else None
        runner_up = books[1][3] if len(books) > 1 else 0.0
        if (
            best is not None
            and best[3] >= SIMILAR_ACCEPT
            and best[3] - runner_up >= SIMILAR_MARGIN
            and _same_author(wanted[n].author, best[2])
        ):
            _accept(results[n], best[0], BY_SIMILAR_TITLE, best[3])
            open_.discard(n)
            continue
        result = results[n]
        if books and not result.candidates:
            result.candidates = [_brief(*book) for book in books[:CANDIDATES_KEPT]]
        if not result.reason:
            result.reason = (
                "No catalog book is close enough to this title and author; the nearest are listed."
                if books
                else "No catalog book has a title like this."
            )
