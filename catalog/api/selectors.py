"""The HTTP read model of books: what the API's lists and details show, per viewer. The only place where
the catalog composes data other apps own (the viewer's stars from reviews, favorite counts from
favorites); the catalog's domain itself never imports them."""

from django.contrib.postgres.fields import ArrayField
from django.db.models import JSONField, QuerySet
from django.db.models.expressions import RawSQL

from catalog.models import STAR_FIELDS, Book
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


def book_list(*, user=None) -> QuerySet[Book]:
    """Books by title with what a list shows: genres, the caller's own stars and favorite flag, all in one
    query."""
    queryset = Book.objects.only(*LIST_FIELDS).annotate(genres_brief=_genres_brief()).order_by("title", "id")
    return annotate_is_favorite(annotate_user_rating(queryset, user=user), user=user)


def book_detail_queryset(*, user=None) -> QuerySet[Book]:
    """A book with what its page shows besides: description, dates, stars per rating, favorite count."""
    return annotate_favorite_count(book_list(user=user).only(*LIST_FIELDS, *DETAIL_FIELDS))
