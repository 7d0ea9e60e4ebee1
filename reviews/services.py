from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from catalog.models import Book
from core.errors import ConflictError
from core.services import insert_or_conflict
from reviews.models import HIDDEN_REASON_MAX, Review

ALREADY_REVIEWED = (
    "You have already reviewed this book; edit your review instead (PATCH /api/v1/reviews/{id}/)."
)


def review_create(*, user: User, book: Book, rating: int, review_text: str = "") -> Review:
    """Create the user's review of ``book``. A second review (also a racing one) raises ConflictError.

    The book's aggregates are updated by the database trigger in the same transaction.
    """
    review = Review(user=user, book=book, rating=rating, review_text=review_text)
    review.full_clean(validate_unique=False, validate_constraints=False)
    insert_or_conflict(lambda: review.save(force_insert=True), conflict=ConflictError(ALREADY_REVIEWED))
    return review


def review_update(*, review: Review, rating: int | None = None, review_text: str | None = None) -> Review:
    fields = []
    if rating is not None:
        review.rating = rating
        fields.append("rating")
    if review_text is not None:
        review.review_text = review_text
        fields.append("review_text")
    review.full_clean(validate_unique=False, validate_constraints=False)
    review.save(update_fields=[*fields, "updated_at"])
    return review


def review_delete(*, review: Review) -> None:
    review.delete()


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"hidden_reason": "Say why the review is hidden."})
    if len(reason) > HIDDEN_REASON_MAX:
        raise ValidationError(
            {"hidden_reason": f"Keep the reason to {HIDDEN_REASON_MAX} characters (it has {len(reason)})."}
        )
    return reason


def reviews_hide(*, reviews: QuerySet[Review], by: User, reason: str) -> int:
    """Hide the reviews that are visible, in one statement (the trigger takes them out of their books'
    aggregates); already hidden ones keep their first reason. Returns how many were hidden."""
    reason = _clean_reason(reason)
    return reviews.filter(hidden_at__isnull=True).update(
        hidden_at=timezone.now(), hidden_reason=reason, hidden_by=by, updated_at=timezone.now()
    )


def reviews_unhide(*, reviews: QuerySet[Review]) -> int:
    """Put hidden reviews back, exactly as they were (the trigger counts them again)."""
    return reviews.filter(hidden_at__isnull=False).update(
        hidden_at=None, hidden_reason="", hidden_by=None, updated_at=timezone.now()
    )


def review_set_hidden(*, review: Review, by: User, hidden: bool, reason: str = "") -> Review:
    """Hide (with a reason, which may be changed while hidden) or unhide one review."""
    one = Review.objects.filter(pk=review.pk)
    if not hidden:
        reviews_unhide(reviews=one)
    elif review.hidden_at is None:
        reviews_hide(reviews=one, by=by, reason=reason)
    else:
        one.update(hidden_reason=_clean_reason(reason))
    review.refresh_from_db(fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
    return review


def ratings_recompute(*, check_only: bool = False) -> list[dict]:
    """Compare every book's stored aggregates with a fresh GROUP BY of the reviews table.

    Returns the books that differ; unless ``check_only``, repairs them all in one set-based UPDATE.
    """
    fresh = """
        SELECT b.id, b.title,
               ARRAY[b.rating_1_count, b.rating_2_count, b.rating_3_count, b.rating_4_count, b.rating_5_count]::bigint[]
                   AS stored,
               ARRAY[coalesce(r.c1, 0), coalesce(r.c2, 0), coalesce(r.c3, 0), coalesce(r.c4, 0), coalesce(r.c5, 0)]
                   AS actual
        FROM books b
        LEFT JOIN (
            SELECT book_id, count(*) FILTER (WHERE rating = 1) c1, count(*) FILTER (WHERE rating = 2) c2,
                   count(*) FILTER (WHERE rating = 3) c3, count(*) FILTER (WHERE rating = 4) c4,
                   count(*) FILTER (WHERE rating = 5) c5
            FROM reviews WHERE hidden_at IS NULL GROUP BY book_id
        ) r ON r.book_id = b.id
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, title, stored, actual FROM ({fresh}) f WHERE stored <> actual ORDER BY title"
        )
        drift = [
            {"book_id": row[0], "title": row[1], "stored": list(row[2]), "actual": list(row[3])}
            for row in cursor.fetchall()
        ]
        if drift and not check_only:
            cursor.execute(
                f"""
                UPDATE books b SET rating_1_count = f.actual[1], rating_2_count = f.actual[2],
                    rating_3_count = f.actual[3], rating_4_count = f.actual[4], rating_5_count = f.actual[5]
                FROM ({fresh}) f
                WHERE b.id = f.id AND f.stored <> f.actual
                """
            )
    return drift
