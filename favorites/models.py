from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone


class UserFavorite(models.Model):
    """A reader's favorite book. The composite primary key makes a second add impossible, so adding is an
    ``INSERT … ON CONFLICT DO NOTHING`` and stays idempotent under races."""

    pk = models.CompositePrimaryKey("user_id", "book_id")
    # Indexed under the specification's name (Meta.indexes), not Django's generated one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites", db_index=False
    )
    book = models.ForeignKey("catalog.Book", on_delete=models.CASCADE, related_name="favorited_by")
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = "user_favorites"
        indexes = [
            models.Index(fields=["user"], name="idx_user_favorites_user"),
            models.Index(F("user"), F("created_at").desc(), name="user_favorites_user_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ “{self.book}”"
