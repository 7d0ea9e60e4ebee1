"""Matching books another service describes to the real catalog: exact where the file is exact, forgiving
of typos, and never confidently wrong — an ambiguous or distant row stays unmatched with candidates."""

import random
import re

import pytest

from catalog.matching import BY_ISBN10, BY_ISBN13, BY_SIMILAR_TITLE, BY_TITLE_AUTHOR, WantedBook, books_match
from tests.reviews.library_exports import isbn13_of, real_books

pytestmark = pytest.mark.django_db

BOOKS = real_books()


def _without_series(title: str) -> str:
    return re.sub(r"\s*\([^()]*\)\s*$", "", title)


def _first_author(book) -> str:
    return book.authors.split(",")[0].strip()


def test_isbn13_then_isbn10_win_over_the_title(real_catalog):
    hunger_games, harry_potter = BOOKS[0], BOOKS[1]
    matches = books_match(
        [
            WantedBook(title="Some other title", author="", isbn13=isbn13_of(hunger_games.isbn10)),
            WantedBook(
                title="", author="", isbn10=harry_potter.isbn10
            ),  # leading zero lost, as goodbooks has it
        ]
    )
    assert [(m.book_id, m.method, m.confidence) for m in matches] == [
        (real_catalog[1], BY_ISBN13, 1.0),
        (real_catalog[2], BY_ISBN10, 1.0),
    ]


def test_every_goodreads_title_matches_its_book_and_the_ambiguous_few_say_so(real_catalog):
    """All 10,000 titles as Goodreads writes them ("… (Series, #1)"), with no ISBN: each matches its own
    book, or (where the catalog really holds two books of that title and author) none, with both as
    candidates."""
    matches = books_match([WantedBook(title=b.title, author=_first_author(b)) for b in BOOKS])
    wrong = [
        b.title
        for b, m in zip(BOOKS, matches, strict=True)
        if m.matched and m.book_id != real_catalog[b.book_id]
    ]
    unmatched = [(b, m) for b, m in zip(BOOKS, matches, strict=True) if not m.matched]
    assert wrong == []
    assert len(unmatched) <= 25
    for book, match in unmatched:
        assert match.reason.startswith("Several catalog books")
        assert str(real_catalog[book.book_id]) in {c["id"] for c in match.candidates}
    assert {m.method for m in matches if m.matched} <= {BY_TITLE_AUTHOR, BY_SIMILAR_TITLE}


def test_storygraph_titles_without_series_or_with_a_subtitle_match(real_catalog):
    sample = BOOKS[:2000]
    matches = books_match([WantedBook(title=_without_series(b.title), author=b.authors) for b in sample])
    right = sum(m.book_id == real_catalog[b.book_id] for b, m in zip(sample, matches, strict=True))
    wrong = sum(
        m.matched and m.book_id != real_catalog[b.book_id] for b, m in zip(sample, matches, strict=True)
    )
    assert right >= 0.99 * len(sample)
    assert wrong == 0


def test_a_typo_in_the_title_still_matches_and_a_wrong_author_never_does(real_catalog):
    rnd = random.Random(7)
    sample = rnd.sample(BOOKS, 600)

    def typo(title: str) -> str:
        title = _without_series(title)
        cut = rnd.randrange(1, max(2, len(title) - 1))
        return title[:cut] + title[cut + 1 :]

    typos = [typo(b.title) for b in sample]
    matches = books_match(
        [WantedBook(title=t, author=_first_author(b)) for t, b in zip(typos, sample, strict=True)]
    )
    right = sum(m.book_id == real_catalog[b.book_id] for b, m in zip(sample, matches, strict=True))
    wrong = sum(
        m.matched and m.book_id != real_catalog[b.book_id] for b, m in zip(sample, matches, strict=True)
    )
    assert right >= 0.85 * len(sample)
    assert wrong <= 2  # of 600; a one-letter typo can make another real title ("Richard III" → "Richard II")
    strangers = books_match([WantedBook(title=t, author="Zed Nobody") for t in typos[:100]])
    assert not any(m.matched for m in strangers)
    assert all(m.candidates for m in strangers[:20])


def test_a_book_not_in_the_catalog_comes_back_unmatched_with_the_reason():
    (match,) = books_match([WantedBook(title="Qwxz Plover Unfindable", author="Nobody Known")])
    assert not match.matched
    assert match.reason == "No catalog book has a title like this."
    (blank,) = books_match([WantedBook(title="", author="")])
    assert not blank.matched and blank.reason
