from datetime import date, datetime

from django.db.models import Count, ExpressionWrapper, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from accounts.models import User
from catalog.models import Book
from reviews.models import Review


def _visible_to(viewer) -> Q:
    """Hidden reviews are gone for everyone but their author, who sees them marked hidden."""
    visible = Q(hidden_at__isnull=True)
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(user_id=viewer.pk)
    return visible


# What a review's reader-facing form shows of its author: a name, never the rest of the account.
REVIEWER_FIELDS = ("user__first_name", "user__last_name")


def review_list_for_book(*, book_id, viewer=None) -> QuerySet[Review]:
    return (
        Review.objects.filter(_visible_to(viewer), book_id=book_id)
        .select_related("user")
        .only(*(field.name for field in Review._meta.concrete_fields), *REVIEWER_FIELDS)
        .order_by("-created_at", "-id")
    )


def review_list_for_user(*, user) -> QuerySet[Review]:
    return Review.objects.filter(user=user).select_related("user", "book").order_by("-created_at", "-id")


def review_get_queryset(*, viewer=None, include_hidden: bool = False) -> QuerySet[Review]:
    reviews = Review.objects.all() if include_hidden else Review.objects.filter(_visible_to(viewer))
    return reviews.select_related("user", "book")


def annotate_user_rating(queryset: QuerySet, *, user) -> QuerySet:
    """Add ``my_rating`` (the caller's stars for each book, or None) inside the same query."""
    if user is None or not user.is_authenticated:
        return queryset.annotate(my_rating=Value(None, output_field=IntegerField()))
    # As SQL for the reason favorites.selectors.annotate_is_favorite gives.
    own = RawSQL(
        '(SELECT r.rating FROM reviews r WHERE r.book_id = "books"."id" AND r.user_id = %s)', [user.pk]
    )
    return queryset.annotate(my_rating=ExpressionWrapper(own, output_field=IntegerField()))


def reviews_per_day(*, since: datetime) -> dict[date, int]:
    """Reviews written each day from ``since`` on (days without any are absent): one GROUP BY over an
    index range on ``created_at``."""
    return dict(
        Review.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )


# A term matching more books or readers than this is broad: filtering by the subqueries is cheaper.
SEARCH_MAX_IDS = 500


def review_search(queryset: QuerySet[Review], *, term: str) -> QuerySet[Review]:
    """Reviews whose book title or reader's email contains ``term``.

    The matching books and users are found first (small tables), then their reviews. A narrow term gives
    a few ids, which the (book, …) and (user, …) indexes turn into a handful of rows; a broad one matches
    so many reviews that walking newest-first and testing each row fills a page at once. Joining every
    review to books and users to test each one would read the whole table.
    """
    books = Book.objects.filter(title__icontains=term).values_list("pk", flat=True)
    users = User.objects.filter(email__icontains=term).values_list("pk", flat=True)
    book_ids = list(books[: SEARCH_MAX_IDS + 1])
    user_ids = list(users[: SEARCH_MAX_IDS + 1])
    if len(book_ids) > SEARCH_MAX_IDS or len(user_ids) > SEARCH_MAX_IDS:
        return queryset.filter(Q(book__in=books) | Q(user__in=users))
    return queryset.filter(Q(book__in=book_ids) | Q(user__in=user_ids))
