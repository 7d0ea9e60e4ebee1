import uuid

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Now
from django.utils import timezone

REVIEW_TEXT_MAX = 10_000
HIDDEN_REASON_MAX = 500

models.TextField.register_lookup(Length)
models.CharField.register_lookup(Length)


class Review(models.Model):
    """One review per reader per book. Every insert, update or delete of a row here adjusts the book's
    per-star counts through statement-level triggers (see migration 0002), whatever issued it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    # Indexed under the specification's names (Meta.indexes), not Django's generated ones.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    book = models.ForeignKey("catalog.Book", on_delete=models.CASCADE, related_name="reviews", db_index=False)
    rating = models.PositiveSmallIntegerField(choices=[(star, f"{star} ★") for star in range(1, 6)])
    review_text = models.TextField(blank=True, default="", db_default="", max_length=REVIEW_TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    # Moderation: a hidden review leaves public lists and the book's aggregates (the triggers count only
    # visible reviews); its author still sees it, marked hidden.
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_reason = models.CharField(
        max_length=HIDDEN_REASON_MAX, blank=True, default="", db_default="", editable=False
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        db_table = "reviews"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "book"],
                name="reviews_review_one_per_user_per_book",
                violation_error_message="You have already reviewed this book.",
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="reviews_review_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(review_text__length__lte=REVIEW_TEXT_MAX),
                name="reviews_review_text_length",
            ),
            models.CheckConstraint(
                condition=(Q(hidden_at__isnull=True) & Q(hidden_reason=""))
                | (
                    Q(hidden_at__isnull=False)
                    & Q(hidden_reason__length__gte=1, hidden_reason__length__lte=HIDDEN_REASON_MAX)
                ),
                name="reviews_review_hidden_has_reason",
                violation_error_message="A hidden review needs a reason; a visible one has none.",
            ),
        ]
        indexes = [
            models.Index(fields=["user"], name="idx_reviews_user"),
            models.Index(fields=["book"], name="idx_reviews_book"),
            models.Index(fields=["rating"], name="idx_reviews_rating"),
            models.Index(F("book"), F("created_at").desc(), F("id").desc(), name="reviews_book_newest_idx"),
            models.Index(F("user"), F("created_at").desc(), F("id").desc(), name="reviews_user_newest_idx"),
            # The admin's newest-first list and its date filter: a LIMIT stops after one page.
            models.Index(F("created_at").desc(), F("id").desc(), name="reviews_newest_idx"),
            # The moderation queue: hidden reviews are few, so the index holds only them.
            models.Index(
                F("hidden_at").desc(),
                name="reviews_hidden_idx",
                condition=Q(hidden_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ by {self.user} on “{self.book}”"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
