from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL

from catalog.models import Book
from favorites.models import UserFavorite


def favorite_is(*, user, book_id) -> bool:
    """Whether the user has favorited the book (False for anonymous callers)."""
    if user is None or not user.is_authenticated:
        return False
    return UserFavorite.objects.filter(user=user, book_id=book_id).exists()


def favorite_ids_for_user(*, user, limit: int | None = None) -> list:
    """The ids of the user's favorite books, newest favorite first (ties by book id)."""
    ids = (
        UserFavorite.objects.filter(user=user)
        .order_by("-created_at", "book_id")
        .values_list("book_id", flat=True)
    )
    return list(ids if limit is None else ids[:limit])


def favorite_ids_among(*, user, book_ids: Iterable) -> set:
    """Which of ``book_ids`` the user has favorited, in one query (for annotating a page of books)."""
    book_ids = list(book_ids)
    if user is None or not user.is_authenticated or not book_ids:
        return set()
    return set(UserFavorite.objects.filter(user=user, book_id__in=book_ids).values_list("book_id", flat=True))


def favorite_books(*, user, books: QuerySet[Book]) -> QuerySet[Book]:
    """The user's favorite books, newest favorite first, each with ``favorited_at``."""
    favorited_at = UserFavorite.objects.filter(user=user, book_id=OuterRef("pk")).values("created_at")[:1]
    return (
        books.filter(favorited_by__user=user)
        .annotate(favorited_at=Subquery(favorited_at))
        .order_by("-favorited_at", "id")
    )


def annotate_is_favorite(queryset: QuerySet[Book], *, user_id) -> QuerySet[Book]:
    """Add ``is_favorite`` (the signed-in caller ``user_id`` has favorited the book; None for anonymous
    callers) inside the same query, as ``reviews.selectors.annotate_user_rating`` adds ``my_rating``."""
    if user_id is None:
        return queryset.annotate(is_favorite=Value(None, output_field=BooleanField()))
    # Written as SQL: every book read builds this query, and Django takes longer to compile an Exists()
    # than PostgreSQL takes to run it (see README, "Performance").
    return queryset.annotate(
        is_favorite=RawSQL(
            'EXISTS (SELECT 1 FROM user_favorites f WHERE f.book_id = "books"."id" AND f.user_id = %s)',
            [user_id],
            output_field=BooleanField(),
        )
    )


def annotate_favorite_count(queryset: QuerySet[Book]) -> QuerySet[Book]:
    counts = RawSQL('(SELECT count(*) FROM user_favorites f WHERE f.book_id = "books"."id")', [])
    return queryset.annotate(favorite_count=ExpressionWrapper(counts, output_field=IntegerField()))
