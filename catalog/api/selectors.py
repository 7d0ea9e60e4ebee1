"""The HTTP read model of books: what the API's lists and details show, per viewer. The only place where
the catalog composes data other apps own (the viewer's stars from reviews, favorite counts from
favorites); the catalog's domain itself never imports them."""

import itertools
import uuid
from collections.abc import Sequence
from typing import Any, overload

from django.contrib.postgres.fields import ArrayField
from django.db.models import F, JSONField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject

from api.pagination import ROW_COUNT
from catalog.models import STAR_FIELDS, Book
from catalog.selectors import (
    FUZZY_WHEN_FEWER_THAN,
    SearchTerms,
    book_ranked,
    candidate_ids,
    search_parse,
    search_terms,
)
from core.compiled import CompiledPages, CompiledQuery
from favorites.selectors import annotate_favorite_count, annotate_is_favorite
from reviews.selectors import annotate_user_rating

# The book's genres as [{"name": …, "slug": …}] by name, computed in the book's own row: no second query,
# and no Genre objects built to be turned back into the same dictionaries. Written as SQL because every
# book read builds it, and Django compiles the equivalent ArraySubquery(JSONObject(…)) in more time than
# PostgreSQL runs it (README, "Performance").
GENRES_BRIEF = """ARRAY(
    SELECT jsonb_build_object('name', g.name, 'slug', g.slug)
    FROM book_genres bg JOIN genres g ON g.id = bg.genre_id
    WHERE bg.book_id = "books"."id" ORDER BY g.name
)"""


def _genres_brief() -> RawSQL:
    return RawSQL(GENRES_BRIEF, [], output_field=ArrayField(JSONField()))


# The columns a list shows (a page of books reads no descriptions, vectors or per-star counts) and those a
# book's own page adds.
LIST_FIELDS = (
    "id",
    "title",
    "author",
    "isbn",
    "cover_image_url",
    "publication_year",
    "language_code",
    "average_rating",
    "total_reviews",
)
DETAIL_FIELDS = ("description", "publication_date", *STAR_FIELDS, "created_at", "updated_at")


def viewer_id(user) -> uuid.UUID | None:
    """The signed-in caller's id, or None for an anonymous one (what the per-viewer columns depend on)."""
    return user.pk if user is not None and user.is_authenticated else None


def _books(viewer: uuid.UUID | None) -> QuerySet[Book]:
    queryset = Book.objects.only(*LIST_FIELDS).annotate(genres_brief=_genres_brief()).order_by("title", "id")
    return annotate_is_favorite(annotate_user_rating(queryset, user_id=viewer), user_id=viewer)


def book_list(*, user=None) -> QuerySet[Book]:
    """Books by title with what a list shows: genres, the caller's own stars and favorite flag, all in one
    query."""
    return _books(viewer_id(user))


def book_detail_queryset(*, user=None) -> QuerySet[Book]:
    """A book with what its page shows besides: description, dates, stars per rating, favorite count."""
    return annotate_favorite_count(book_list(user=user).only(*LIST_FIELDS, *DETAIL_FIELDS))


# The list and a book's page are the catalog's busiest reads: their statements are compiled once per
# process (core.compiled), for anonymous and for signed-in callers, and read as rows.
LIST_COLUMNS = (*LIST_FIELDS, "my_rating", "is_favorite", "genres_brief")
_RATING_HISTOGRAM = JSONObject(**{str(star): F(field) for star, field in enumerate(STAR_FIELDS, start=1)})


def _list_query(signed_in: bool) -> CompiledQuery:
    def build(viewer=None) -> QuerySet:
        return _books(viewer).values(*LIST_COLUMNS)

    return CompiledQuery(
        build, parameters={"viewer": uuid.UUID} if signed_in else {}, limit=True, as_json_text=True
    )


def _detail_query(signed_in: bool) -> CompiledQuery:
    def build(book_id, viewer=None) -> QuerySet:
        book = annotate_favorite_count(_books(viewer).filter(pk=book_id))
        detail = [name for name in DETAIL_FIELDS if name not in STAR_FIELDS]
        return book.values(*LIST_COLUMNS, *detail, "favorite_count", rating_histogram=_RATING_HISTOGRAM)

    parameters: dict[str, type] = {"book_id": uuid.UUID}
    if signed_in:
        parameters["viewer"] = uuid.UUID
    return CompiledQuery(build, parameters=parameters, as_json_text=True)


_LIST = {signed_in: _list_query(signed_in) for signed_in in (False, True)}
_DETAIL = {signed_in: _detail_query(signed_in) for signed_in in (False, True)}


# The ranked search's statements: over the candidates its words find (the common case, one statement), over
# those and the trigram-like ones (words that found few books), or over a list of ids found beforehand.
_SEARCH_KINDS = ("words", "fuzzy", "found")


def _search_query(signed_in: bool, prefix: bool, isbn: bool, kind: str) -> CompiledQuery:
    def build(plain, text, prefix_terms=None, isbn=None, viewer=None, found=None) -> QuerySet:
        terms = SearchTerms(
            text=text, plain=plain, prefix_terms=prefix_terms, isbn=isbn, fuzzy=kind == "fuzzy", found=found
        )
        among = {"words": terms.words_query, "fuzzy": terms.fuzzy_query}.get(kind)
        return book_ranked(_books(viewer), terms, among=among() if among else None).values(
            *LIST_COLUMNS, ROW_COUNT
        )

    parameters: dict[str, type] = {"plain": str, "text": str}
    if prefix:
        parameters["prefix_terms"] = str
    if isbn:
        parameters["isbn"] = str
    if signed_in:
        parameters["viewer"] = uuid.UUID
    if kind == "found":
        parameters["found"] = list
    return CompiledQuery(build, parameters=parameters, limit=True, as_json_text=True)


_SEARCH = {
    (signed_in, prefix, isbn, kind): _search_query(signed_in, prefix, isbn, kind)
    for signed_in, prefix, isbn in itertools.product((False, True), repeat=3)
    for kind in _SEARCH_KINDS
}


class SearchPages(Sequence[dict]):
    """A search of the book list as pages of rows, ranked as ``catalog.selectors.book_search`` ranks and
    over the same candidates: those of the words first, in the ranked statement itself; with typos too
    when the words found fewer than ``FUZZY_WHEN_FEWER_THAN`` books; each long word alone when nothing is
    like the whole query. Where a page alone cannot tell which (a page past the end), the candidates are
    looked up first, as the filterset does."""

    ordered = True
    counted_in_rows = ROW_COUNT

    def __init__(self, terms: SearchTerms, viewer: uuid.UUID | None) -> None:
        self._terms = terms
        self._viewer = viewer
        self._found: list | None = None

    def _rows(self, kind: str, start: int, limit: int, found: list | None = None) -> list[dict]:
        terms = self._terms
        arguments: dict[str, Any] = {"plain": terms.plain, "text": terms.text}
        if terms.prefix_terms is not None:
            arguments["prefix_terms"] = terms.prefix_terms
        if terms.isbn:
            arguments["isbn"] = terms.isbn
        if self._viewer is not None:
            arguments["viewer"] = self._viewer
        if found is not None:
            arguments["found"] = found
        query = _SEARCH[self._viewer is not None, terms.prefix_terms is not None, bool(terms.isbn), kind]
        return query.rows(limit=limit, offset=start, **arguments)

    def _found_ids(self) -> list:
        if self._found is None:
            looked_up = search_terms(self._terms.text)
            self._found = looked_up.found if looked_up is not None and looked_up.found is not None else []
        return self._found

    def __len__(self) -> int:  # asked by the paginator only for a page with no row to read it from
        return len(self._found_ids())

    @overload
    def __getitem__(self, window: int) -> dict: ...

    @overload
    def __getitem__(self, window: slice) -> list[dict]: ...

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.stop is None or window.step is not None:
            raise TypeError("Search pages are read in forward slices with an end.")
        start = window.start or 0
        limit = window.stop - start
        rows = self._rows("words", start, limit)
        if not self._terms.fuzzy or (rows and rows[0][ROW_COUNT] >= FUZZY_WHEN_FEWER_THAN):
            return rows
        if rows or start == 0:  # the words found few books, or none: typos too
            rows = self._rows("fuzzy", start, limit)
            if rows or start > 0:
                return rows
            long_words_found = candidate_ids(None, None, *self._terms.long_words())
            return self._rows("found", start, limit, long_words_found) if long_words_found else []
        return self._rows("found", start, limit, self._found_ids())  # past the words' end: look up first


def book_search_pages(*, text: str, user=None) -> SearchPages | list:
    """``book_search`` of the book list as pages of rows, for a list read whose only filter is the
    search (``text`` stripped and not empty)."""
    terms = search_parse(text)
    if terms is None:
        return []
    return SearchPages(terms, viewer_id(user))


def book_list_pages(*, user=None) -> CompiledPages:
    """``book_list`` as pages of rows, for a list read without filters."""
    viewer = viewer_id(user)
    arguments: dict[str, Any] = {} if viewer is None else {"viewer": viewer}
    return CompiledPages(_LIST[viewer is not None], count=Book.objects.count, **arguments)


def book_detail_row(*, book_id: uuid.UUID, user=None) -> dict | None:
    """What ``book_detail_queryset`` gives for one book, as a row (``rating_histogram`` included), or
    None when there is no such book."""
    viewer = viewer_id(user)
    arguments: dict[str, Any] = {"book_id": book_id}
    if viewer is not None:
        arguments["viewer"] = viewer
    rows = _DETAIL[viewer is not None].rows(**arguments)
    return rows[0] if rows else None
