"""The HTTP read model of books: what the API's lists and details show, per viewer. The only place where
the catalog composes data other apps own (the viewer's stars from reviews, favorite counts from
favorites); the catalog's domain itself never imports them."""

from django.contrib.postgres.fields import ArrayField
from django.db.models import JSONField, QuerySet
from django.db.models.expressions import RawSQL

from catalog.models import Book
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


def book_list(*, user=None) -> QuerySet[Book]:
    """Books by title with what list and detail show: genres, the caller's own stars and favorite flag,
    all in one query."""
    queryset = (
        Book.objects.defer("search_vector", "author_vector")
        .annotate(genres_brief=_genres_brief())
        .order_by("title", "id")
    )
    return annotate_is_favorite(annotate_user_rating(queryset, user=user), user=user)


def book_detail_queryset(*, user=None) -> QuerySet[Book]:
    return annotate_favorite_count(book_list(user=user))
