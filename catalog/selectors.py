import re
from dataclasses import dataclass, replace

from django.contrib.postgres.search import (
    SearchQuery,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    FloatField,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL

from api.pagination import ROW_COUNT
from catalog.isbn import InvalidIsbn, normalize_isbn
from catalog.models import SEARCH_CONFIG_ENGLISH, SEARCH_CONFIG_SIMPLE, Book, Genre

# Weights of the ranking beside the match score (``folio_match_score``, migration 0005: 3 for an exact title,
# series or author, up to 1.5 for likeness, up to 1 for how much of the query the book holds).
TEXT_RANK = 1.0  # the weighted full-text rank (title A, author B, description C), scaled to 0–1
POPULARITY = 1.0  # review count, log-scaled against the best-known candidate: breaks near-ties only
OPERATORS = re.compile(r'"|(?:^|\s)-(?=\w)|\bor\b', re.IGNORECASE)
FALLBACK_WORD_LENGTH = 5  # words this long are also looked up one by one
FALLBACK_WORDS = 4
MIN_FUZZY_LENGTH = 4
FULL_TEXT_CANDIDATES = 800


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def _prefix_terms(text: str) -> str | None:
    """Every word typed, the last one as a prefix ("mockingb" finds "Mockingbird"), as a tsquery."""
    words = _words(text)
    if not words or len(words[-1]) < MIN_FUZZY_LENGTH:
        return None
    return " & ".join([*words[:-1], f"{words[-1]}:*"])


# Typos are looked for only when the words found fewer books than this: the trigram scans are most of a
# search's time, and a query whose words match a page of books was typed well enough.
FUZZY_WHEN_FEWER_THAN = 20


def candidate_query(
    text: str | None, prefix: str | None, *alike: str, isbn: str | None = None
) -> tuple[str, list]:
    """Ids of the books the full-text query matches (web-search syntax in both configurations, or the
    words typed with the last as a prefix; the 800 best-known when a word such as "the" is in thousands)
    and of those whose folded title or author is trigram-like each of ``alike``, as one UNION whose every
    arm is planned on its own index: OR-ed together in one scan, the planner misjudges the trigram
    operators as cheap and tests them on every row (30 µs each). Fetched first, with SQL written once, so
    the ranked query plans over a list of ids."""
    arms, params = [], []
    if text is not None:
        query = f"websearch_to_tsquery('{SEARCH_CONFIG_ENGLISH}', %s) || websearch_to_tsquery('{SEARCH_CONFIG_SIMPLE}', %s)"
        params += [text, text]
        if prefix is not None:
            query += f" || to_tsquery('{SEARCH_CONFIG_SIMPLE}', %s)"
            params.append(prefix)
        arms.append(
            f"(SELECT id FROM books WHERE search_vector @@ ({query}) "
            f"ORDER BY total_reviews DESC LIMIT {FULL_TEXT_CANDIDATES})"
        )
    for looked_up in alike:
        arms.append("(SELECT id FROM books WHERE title_folded %%> folio_fold(%s))")
        arms.append("(SELECT id FROM books WHERE author_folded %%> folio_fold(%s))")
        params += [looked_up, looked_up]
    if isbn:
        arms.append("(SELECT id FROM books WHERE isbn = %s)")
        params.append(isbn)
    return " UNION ".join(arms), params


def candidate_ids(*args, **kwargs) -> list:
    """The ids ``candidate_query`` finds."""
    sql, params = candidate_query(*args, **kwargs)
    if not sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _candidates_gated(text: str, prefix: str | None, alike: list[str], isbn: str | None) -> list:
    """The words' (and the ISBN's) candidates, and the trigram arms' only when those are fewer than
    ``FUZZY_WHEN_FEWER_THAN``: two statements in that case rather than one whose gate (a subquery each
    trigram arm tests) made PostgreSQL take longer to plan every search than to run it."""
    found = candidate_ids(text, prefix, isbn=isbn)
    if alike and len(found) < FUZZY_WHEN_FEWER_THAN:
        seen = set(found)
        found += [book_id for book_id in candidate_ids(None, None, *alike) if book_id not in seen]
    return found


@dataclass(frozen=True)
class SearchTerms:
    """What a search asks for, read from its text: the text as typed (web-search syntax), its plain
    words, the words with the last as a prefix and the ISBN it spells, if any; and, once looked up, the
    candidate books (``found``)."""

    text: str
    plain: str
    prefix_terms: str | None
    isbn: str | None
    fuzzy: bool
    found: list | None = None

    def words_query(self) -> tuple[str, list]:
        """The candidates by the words (and the ISBN): the first look, and often the only one."""
        return candidate_query(self.text, self.prefix_terms, isbn=self.isbn)

    def fuzzy_query(self) -> tuple[str, list]:
        """The candidates by the words and by trigram likeness, for words that found few books."""
        return candidate_query(self.text, self.prefix_terms, self.plain, isbn=self.isbn)

    def long_words(self) -> list[str]:
        """For a query nothing is like as a whole: a long word may be right while the rest is misspelt
        ("tolkein hobbit"), so each is looked up alone."""
        return [word for word in _words(self.plain) if len(word) >= FALLBACK_WORD_LENGTH][:FALLBACK_WORDS]


def search_parse(text: str) -> SearchTerms | None:
    """The terms of ``text``, or None when it asks for nothing (punctuation alone). ``text`` is already
    stripped and not empty."""
    try:
        isbn = normalize_isbn(text)
    except InvalidIsbn:
        isbn = None
    # Web-search operators ("a phrase", -word, or) ask for exactly what they say: the full-text match is
    # then required. Plain words may also match through typos, prefixes and trigram likeness.
    strict = bool(OPERATORS.search(text))
    plain = " ".join(_words(OPERATORS.sub(" ", text)))
    if not plain and not isbn:
        return None
    # Up to three letters prefix nearly every word and trigram-match most titles: whole words only.
    fuzzy = not strict and len(plain) >= MIN_FUZZY_LENGTH
    prefix_terms = _prefix_terms(plain) if fuzzy else None
    return SearchTerms(text=text, plain=plain, prefix_terms=prefix_terms, isbn=isbn, fuzzy=fuzzy)


def search_terms(text: str) -> SearchTerms | None:
    """``search_parse`` with the candidates looked up."""
    terms = search_parse(text)
    if terms is None:
        return None
    found = _candidates_gated(
        terms.text, terms.prefix_terms, [terms.plain] if terms.fuzzy else [], terms.isbn
    )
    if not found and terms.fuzzy:
        found = candidate_ids(None, None, *terms.long_words())
    return replace(terms, found=found)


def book_search(queryset: QuerySet[Book], *, text: str) -> QuerySet[Book]:
    """Books matching ``text``, best first, all in PostgreSQL.

    A book is a candidate when the full-text vector matches (web-search syntax: "phrase", -word, or; in
    both accent-folding configurations, so stop-word titles match), when the words typed match with the
    last one as a prefix, or when the folded query is trigram-similar to the folded title or author (typos,
    variant spellings; the GIN trigram indexes find these). Each candidate is scored by what the query
    most looks like — its title (without a "(Series, #1)" suffix), the series of a first volume, or its
    first author — plus how much of the query its title and author hold, plus the full-text rank; its
    popularity against the best-known candidate breaks what is left of a tie. An exact ISBN (10 or 13, any
    spelling) comes first.
    """
    text = text.strip()
    if not text:
        return queryset
    terms = search_terms(text)
    if terms is None:
        # Punctuation alone asks for nothing (annotated like a search, for callers that read the rank).
        return queryset.none().annotate(
            isbn_match=Value(0, output_field=IntegerField()),
            search_rank=Value(0.0, output_field=FloatField()),
        )
    return book_ranked(queryset, terms)


def book_ranked(
    queryset: QuerySet[Book], terms: SearchTerms, *, among: tuple[str, list] | None = None
) -> QuerySet[Book]:
    """``queryset``'s books among the candidates ``terms`` found, or those the candidate query ``among``
    finds inside the same statement, best first (see ``book_search``), each with the row count of all
    pages. Its parameters are ``terms``' values as they are, so the statement can be compiled once per
    shape (``catalog.api.selectors``)."""
    if among is None:
        # One array parameter: a list of ids as ``pk__in`` would be cloned, id by id, at every step.
        matches = RawSQL(
            f'"{Book._meta.db_table}"."id" = ANY(%s)', (terms.found,), output_field=BooleanField()
        )
    else:
        # As an array the candidates are an InitPlan run first, and the books are fetched by primary key
        # as from a list: an IN (subquery) would be planned as a join over the whole table.
        sql, params = among
        matches = RawSQL(
            f'"{Book._meta.db_table}"."id" = ANY(ARRAY({sql}))', params, output_field=BooleanField()
        )
    # The score as SQL written once: the same expression built from Django's Func, SearchRank, Window and
    # Coalesce objects took longer to compile on every search than PostgreSQL takes to run it.
    tsquery = (
        f"websearch_to_tsquery('{SEARCH_CONFIG_ENGLISH}', %s) || websearch_to_tsquery('{SEARCH_CONFIG_SIMPLE}', %s)"
        + (f" || to_tsquery('{SEARCH_CONFIG_SIMPLE}', %s)" if terms.prefix_terms is not None else "")
    )
    score = RawSQL(
        f"""(folio_match_score("books"."title_folded", "books"."author_folded", folio_fold(%s))
            + {TEXT_RANK} * ts_rank("books"."search_vector", {tsquery}, 32)
            + {POPULARITY} * coalesce(ln("books"."total_reviews" + 1.0)
                / nullif(max(ln("books"."total_reviews" + 1.0)) OVER (), 0), 0))::double precision""",
        [
            terms.plain,
            terms.text,
            terms.text,
            *([terms.prefix_terms] if terms.prefix_terms is not None else []),
        ],
        output_field=FloatField(),
    )
    isbn_match = (
        RawSQL('CASE WHEN "books"."isbn" = %s THEN 1 ELSE 0 END', [terms.isbn], output_field=IntegerField())
        if terms.isbn
        else Value(0, output_field=IntegerField())
    )
    return (
        queryset.filter(matches)
        .annotate(
            isbn_match=isbn_match,
            search_rank=score,
            # One query for a page and the count (CountInRowPaginator).
            **{ROW_COUNT: RawSQL("count(*) OVER ()", [], output_field=IntegerField())},
        )
        .order_by("-isbn_match", "-search_rank", "-total_reviews", "id")
    )


SUGGESTIONS = 10
SUGGEST_PREFIX_CANDIDATES = 100
# Search-as-you-type: the search's candidates and signals, lean enough to answer within a keystroke. A
# finished word is matched whole and the word being typed as a prefix, in titles and authors only (the
# ":AB" weights); trigram likeness catches typos. Scored as the search scores, written once as SQL so
# nothing is built per request.
SUGGEST_SQL = f"""
WITH typed AS (SELECT folio_fold(%(text)s) AS text),
prefixed AS (
    SELECT id FROM books
    WHERE search_vector @@ to_tsquery('{SEARCH_CONFIG_SIMPLE}', %(prefix)s)
    ORDER BY total_reviews DESC
    LIMIT {SUGGEST_PREFIX_CANDIDATES}
),
candidates AS (
    SELECT id FROM prefixed
    UNION SELECT id FROM books, typed WHERE books.title_folded %%> typed.text
    UNION SELECT id FROM books, typed WHERE books.author_folded %%> typed.text
)
SELECT id, title, author, publication_year
FROM (
    SELECT b.id, b.title, b.author, b.publication_year, b.total_reviews,
        folio_match_score(b.title_folded, b.author_folded, typed.text)
        + {TEXT_RANK} * ts_rank(b.search_vector, to_tsquery('{SEARCH_CONFIG_SIMPLE}', %(prefix)s), 32)
        + {POPULARITY} * coalesce(
            ln(b.total_reviews + 1.0) / nullif(max(ln(b.total_reviews + 1.0)) OVER (), 0), 0
        ) AS score
    FROM books b
    JOIN candidates USING (id)
    CROSS JOIN typed
) scored
ORDER BY score DESC, total_reviews DESC, id
LIMIT {SUGGESTIONS}
"""


def book_suggest(*, text: str) -> list[dict]:
    """Up to ten ``{id, title, author, publication_year}`` for what is typed so far, best first."""
    words = _words(text)
    if not words or len(" ".join(words)) < 2:
        return []
    prefix = " & ".join([*(f"{word}:AB" for word in words[:-1]), f"{words[-1]}:*AB"])
    with connection.cursor() as cursor:
        cursor.execute(SUGGEST_SQL, {"text": " ".join(words), "prefix": prefix})
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def book_filter_by_author(queryset: QuerySet[Book], *, author: str) -> QuerySet[Book]:
    """Every word of ``author`` appears among the book's authors (any order, any case)."""
    return queryset.filter(author_vector=SearchQuery(author, search_type="plain", config="simple"))


def genre_list() -> QuerySet[Genre]:
    return Genre.objects.order_by("name")


def genre_choices() -> list[tuple[str, str]]:
    """Every genre's slug and name, by name (a filter's choices: no model instances to build)."""
    return list(Genre.objects.order_by("name").values_list("slug", "name"))


def book_with_favorite_count(*, pk) -> Book:
    """A book with ``favorite_count``, counted through the relation (the catalog imports nothing from the
    favorites app)."""
    return Book.objects.annotate(favorite_count=Count("favorited_by")).get(pk=pk)
