import uuid
from datetime import date, datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import TruncDate

from accounts.models import User
from catalog.models import Book
from core.compiled import CompiledQuery
from reviews.models import Review


def _signed_in_id(viewer) -> uuid.UUID | None:
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def _visible_to(viewer_id: uuid.UUID | None) -> Q:
    """Hidden reviews are gone for everyone but their author, who sees them marked hidden."""
    visible = Q(hidden_at__isnull=True)
    if viewer_id is not None:
        visible |= Q(user_id=viewer_id)
    return visible


# What a review's reader-facing form shows of its author: a name, never the rest of the account.
REVIEWER_FIELDS = {"reviewer_first_name": F("user__first_name"), "reviewer_last_name": F("user__last_name")}
REVIEW_COLUMNS = ("id", "book", "rating", "review_text", "hidden_reason", "created_at", "updated_at")
_IS_HIDDEN = ExpressionWrapper(Q(hidden_at__isnull=False), output_field=BooleanField())


def review_rows(queryset: QuerySet[Review]) -> QuerySet:
    """Reviews as the dictionaries their API form is made from (no model objects)."""
    return queryset.values(*REVIEW_COLUMNS, is_hidden=_IS_HIDDEN, **REVIEWER_FIELDS)


# (signed in, which page) -> the compiled statement for a page of a book's reviews. Pages are keyset pages
# on (created_at, id): the first, the next older ones, or the newer ones before a page.
_BOOK_PAGE_ORDER = {"first": "desc", "older": "desc", "newer": "asc"}


def _book_page_query(signed_in: bool, page: str) -> CompiledQuery:
    parameters: dict[str, type] = {"book_id": uuid.UUID}
    if signed_in:
        parameters["viewer_id"] = uuid.UUID
    if page != "first":
        parameters |= {"key_created_at": datetime, "key_id": uuid.UUID}

    def build(book_id, viewer_id=None, key_created_at=None, key_id=None) -> QuerySet:
        queryset = Review.objects.filter(_visible_to(viewer_id), book_id=book_id)
        key = Tuple(F("created_at"), F("id"))
        if page == "older":
            queryset = queryset.filter(TupleLessThan(key, (key_created_at, key_id)))
        elif page == "newer":
            queryset = queryset.filter(TupleGreaterThan(key, (key_created_at, key_id)))
        order = _BOOK_PAGE_ORDER[page]
        return review_rows(queryset.order_by(getattr(F("created_at"), order)(), getattr(F("id"), order)()))

    return CompiledQuery(build, parameters=parameters, limit=True, as_json_text=True)


_BOOK_PAGES = {
    (signed_in, page): _book_page_query(signed_in, page)
    for signed_in in (False, True)
    for page in _BOOK_PAGE_ORDER
}


def review_page_for_book(
    *, book_id: uuid.UUID, viewer=None, position: tuple[datetime, uuid.UUID] | None, newer: bool, limit: int
) -> list[dict]:
    """Up to ``limit`` of the book's reviews the viewer may see, as ``review_rows`` gives them: newest
    first from the start or after ``position`` (``(created_at, id)`` of the last review shown), or, with
    ``newer``, the ones just newer than ``position`` nearest first. The busiest read in the API, so its
    statement is compiled once (``core.compiled``)."""
    viewer_id = _signed_in_id(viewer)
    page = "first" if position is None else "newer" if newer else "older"
    arguments: dict = {"book_id": book_id}
    if viewer_id is not None:
        arguments["viewer_id"] = viewer_id
    if position is not None:
        arguments["key_created_at"], arguments["key_id"] = position
    return _BOOK_PAGES[viewer_id is not None, page].rows(limit=limit, **arguments)


def review_list_for_user(*, user) -> QuerySet[Review]:
    return Review.objects.filter(user=user).annotate(**REVIEWER_FIELDS)


def review_get_queryset(*, viewer=None, include_hidden: bool = False) -> QuerySet[Review]:
    reviews = (
        Review.objects.all() if include_hidden else Review.objects.filter(_visible_to(_signed_in_id(viewer)))
    )
    return reviews.annotate(**REVIEWER_FIELDS)


def annotate_user_rating(queryset: QuerySet, *, user_id: uuid.UUID | None) -> QuerySet:
    """Add ``my_rating`` (the stars of the signed-in caller ``user_id`` for each book, or None) inside the
    same query."""
    if user_id is None:
        return queryset.annotate(my_rating=Value(None, output_field=IntegerField()))
    # As SQL for the reason favorites.selectors.annotate_is_favorite gives.
    own = RawSQL(
        '(SELECT r.rating FROM reviews r WHERE r.book_id = "books"."id" AND r.user_id = %s)', [user_id]
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
