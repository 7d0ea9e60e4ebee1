"""The HTTP read model of books: what the API's lists and details show, per viewer. The only place where
the catalog composes data other apps own (the viewer's stars from reviews, favorite counts from
favorites); the catalog's domain itself never imports them."""

from django.db.models import Prefetch, QuerySet

from catalog.models import Book, Genre
from favorites.selectors import annotate_favorite_count, annotate_is_favorite
from reviews.selectors import annotate_user_rating


def _genres_prefetch() -> Prefetch:
    return Prefetch("genres", queryset=Genre.objects.only("id", "name", "slug").order_by("name"))


def book_list(*, user=None) -> QuerySet[Book]:
    """Books with what list and detail show: genres (one extra query), and the caller's own stars and
    favorite flag inside the same query."""
    queryset = Book.objects.defer("search_vector", "author_vector").prefetch_related(_genres_prefetch())
    return annotate_is_favorite(annotate_user_rating(queryset, user=user), user=user)


def book_detail_queryset(*, user=None) -> QuerySet[Book]:
    return annotate_favorite_count(book_list(user=user))
