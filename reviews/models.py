import uuid

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Now
from django.utils import timezone

REVIEW_TEXT_MAX = 10_000

models.TextField.register_lookup(Length)


class Review(models.Model):
    """One review per reader per book. Every insert, update or delete of a row here adjusts the book's
    per-star counts through statement-level triggers (see migration 0002), whatever issued it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    book = models.ForeignKey("catalog.Book", on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=[(star, f"{star} ★") for star in range(1, 6)])
    review_text = models.TextField(blank=True, default="", db_default="", max_length=REVIEW_TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

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
        ]
        indexes = [
            models.Index(fields=["rating"], name="reviews_rating_idx"),
            models.Index(F("book"), F("created_at").desc(), F("id").desc(), name="reviews_book_newest_idx"),
            models.Index(F("user"), F("created_at").desc(), F("id").desc(), name="reviews_user_newest_idx"),
            # The admin's newest-first list and its date filter: a LIMIT stops after one page.
            models.Index(F("created_at").desc(), F("id").desc(), name="reviews_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ by {self.user} on “{self.book}”"
