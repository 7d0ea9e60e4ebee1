import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.api.filters import BookFilter
from catalog.api.selectors import book_list
from catalog.models import Book
from catalog.selectors import book_filter_by_author, book_search, candidate_query
from tests.catalog.factories import BookFactory

pytestmark = pytest.mark.django_db


def _titles(queryset) -> list[str]:
    return [book.title for book in queryset]


def test_search_ranks_title_matches_above_author_and_description():
    BookFactory(title="A quiet life", author="Ann Dragon", description="")
    BookFactory(title="Gardening", author="Someone", description="A book that mentions a dragon once.")
    BookFactory(title="The Dragon Reborn", author="Robert Jordan")
    assert _titles(book_search(Book.objects.all(), text="dragon")) == [
        "The Dragon Reborn",
        "A quiet life",
        "Gardening",
    ]


def test_search_finds_a_title_made_only_of_stop_words():
    BookFactory(title="There There", author="Tommy Orange")
    BookFactory(title="Elsewhere", author="Gabrielle Zevin")
    assert _titles(book_search(Book.objects.all(), text="There There")) == ["There There"]


def test_search_supports_quotes_exclusion_and_or():
    BookFactory(title="The Hunger Games", author="Suzanne Collins")
    BookFactory(title="Catching Fire", author="Suzanne Collins")
    BookFactory(title="Hunger", author="Knut Hamsun")
    assert _titles(book_search(Book.objects.all(), text='"hunger games"')) == ["The Hunger Games"]
    assert _titles(book_search(Book.objects.all(), text="hunger -games")) == ["Hunger"]
    assert set(_titles(book_search(Book.objects.all(), text="catching or hamsun"))) == {
        "Catching Fire",
        "Hunger",
    }


def test_search_stems_english_words():
    BookFactory(title="Running with Scissors")
    assert _titles(book_search(Book.objects.all(), text="run")) == ["Running with Scissors"]


def test_exact_isbn_search_returns_that_book_first():
    BookFactory(title="0439023483 and other numbers")
    BookFactory(title="The Hunger Games", isbn="9780439023481")
    assert _titles(book_search(Book.objects.all(), text="0-439-02348-3"))[0] == "The Hunger Games"


def test_author_filter_matches_any_author_in_the_list():
    BookFactory(title="HP1", author="J.K. Rowling, Mary GrandPré")
    BookFactory(title="Other", author="Rowan Williams")
    assert _titles(book_filter_by_author(Book.objects.all(), author="rowling")) == ["HP1"]
    assert _titles(book_filter_by_author(Book.objects.all(), author="Mary Grandpré")) == ["HP1"]


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"ordering": "-average_rating"}, "books_weighted_rating_idx"),
        ({"ordering": "-total_reviews"}, "books_total_reviews_idx"),
        ({}, "books_title_idx"),
        ({"ordering": "title"}, "books_title_idx"),
        ({"ordering": "-publication_year"}, "books_pub_year_idx"),
    ],
)
def test_the_apis_filters_and_orderings_are_backed_by_indexes(params, index):
    """EXPLAIN the very queryset ``books/`` runs for these parameters (the read model through the filter
    set), with sequential scans priced out as on a large table."""
    BookFactory.create_batch(5)
    queryset = BookFilter(params, queryset=book_list()).qs[:20]
    sql, sql_params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", sql_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan and "Index" in plan, plan


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"year_min": "1990", "year_max": "2000"}, "books_pub_year_idx"),
        ({"rating_min": "4"}, "idx_books_average_rating"),
        ({"author": "rowling"}, "books_author_vector_idx"),
        ({"genre": "fantasy"}, "book_genres"),
    ],
)
def test_the_apis_filters_count_through_indexes(params, index):
    """The page's count, as ``books/`` runs it for these filters, reads the filter's index."""
    BookFactory.create_batch(5)
    with CaptureQueriesContext(connection) as captured:
        BookFilter(params, queryset=book_list()).qs.count()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {captured[-1]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan and "Index" in plan, plan


def test_search_candidates_come_from_the_text_and_trigram_indexes():
    BookFactory.create_batch(3)
    sql, params = candidate_query("harry poter", "harry & poter:*", "harry poter")
    with connection.cursor() as cursor:
        # A three-row table would be scanned whole: leave the planner only the bitmap scans it uses at
        # size (bench/search.py prints the plan on the real catalog).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("books_search_vector_idx", "books_title_trgm_idx", "books_author_trgm_idx"):
        assert index in plan, plan


def test_the_plpgsql_match_score_scores_as_the_sql_function_it_replaced():
    from importlib import import_module

    original = import_module("catalog.migrations.0005_book_match_score").SCORE
    titles = [
        ("Harry Potter and the Sorcerer's Stone (Harry Potter, #1)", "J.K. Rowling, Mary GrandPré"),
        ("Mockingjay (The Hunger Games, #3)", "Suzanne Collins"),
        ("The Fellowship of the Ring (The Lord of the Rings, #1.5)", "J.R.R. Tolkien"),
        ("It", "Stephen King"),
        ("Les Misérables", "Victor Hugo"),
        ("(Untitled)", "Anonymous"),
    ]
    for title, author in titles:
        BookFactory(title=title, author=author)
    typed = ["harry potter", "the hunger games", "tolkien", "it", "les miserables", "lord of the rings", "x"]
    with connection.cursor() as cursor:
        cursor.execute(original.replace("FUNCTION folio_match_score", "FUNCTION pg_temp.original_score"))
        cursor.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE folio_match_score(title_folded, author_folded, t)
                IS DISTINCT FROM pg_temp.original_score(title_folded, author_folded, t))
            FROM books, unnest(%s::text[]) AS t
            """,
            [typed],
        )
        compared, different = cursor.fetchone()
    assert (compared, different) == (len(titles) * len(typed), 0)
