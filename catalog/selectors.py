from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from catalog.isbn import InvalidIsbn, normalize_isbn
from catalog.models import Book, Genre
from favorites.selectors import annotate_favorite_count
from reviews.selectors import annotate_user_rating


def _genres_prefetch() -> Prefetch:
    return Prefetch("genres", queryset=Genre.objects.only("id", "name", "slug").order_by("name"))


def book_list(*, user=None) -> QuerySet[Book]:
    """Books with what list and detail show: genres (one extra query) and the caller's own rating."""
    queryset = Book.objects.defer("search_vector", "author_vector").prefetch_related(_genres_prefetch())
    return annotate_user_rating(queryset, user=user)


def book_detail_queryset(*, user=None) -> QuerySet[Book]:
    return annotate_favorite_count(book_list(user=user))


def book_search(queryset: QuerySet[Book], *, text: str) -> QuerySet[Book]:
    """Full-text search ranked by relevance; an exact ISBN (10 or 13, any spelling) comes first."""
    text = text.strip()
    if not text:
        return queryset
    try:
        isbn = normalize_isbn(text)
    except InvalidIsbn:
        isbn = None
    query = SearchQuery(text, search_type="websearch", config="english") | SearchQuery(
        text, search_type="websearch", config="simple"
    )
    matches = Q(search_vector=query)
    if isbn:
        matches |= Q(isbn=isbn)
    return (
        queryset.filter(matches)
        .annotate(
            isbn_match=Case(When(isbn=isbn, then=Value(1)), default=Value(0), output_field=IntegerField())
            if isbn
            else Value(0, output_field=IntegerField()),
            search_rank=SearchRank(F("search_vector"), query),
        )
        .order_by("-isbn_match", "-search_rank", "-total_reviews", "id")
    )


def book_filter_by_author(queryset: QuerySet[Book], *, author: str) -> QuerySet[Book]:
    """Every word of ``author`` appears among the book's authors (any order, any case)."""
    return queryset.filter(author_vector=SearchQuery(author, search_type="plain", config="simple"))


def genre_list() -> QuerySet[Genre]:
    return Genre.objects.order_by("name")
