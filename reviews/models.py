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


# --- library imports (Goodreads, StoryGraph) -------------------------------------------------------------


class ImportSource(models.TextChoices):
    GOODREADS = "goodreads", "Goodreads"
    STORYGRAPH = "storygraph", "StoryGraph"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    MATCHING = "matching", "Matching books"
    APPLYING = "applying", "Applying"
    COMPLETE = "complete", "Complete"
    FAILED = "failed", "Failed"
    UNDONE = "undone", "Undone"


# An import in one of these holds its file: a second import of the same file waits for it to end.
IMPORT_RUNNING = (ImportStatus.QUEUED, ImportStatus.MATCHING, ImportStatus.APPLYING)


class LibraryImport(models.Model):
    """A reader's upload of another service's library export, and the report of what it did. Its rows
    (``LibraryImportRow``) keep every line of the file, matched or not, and what applying it changed, so
    the import can be undone exactly."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_imports", db_index=False
    )
    source = models.CharField(max_length=20, choices=ImportSource.choices)
    file_name = models.CharField(max_length=255, blank=True, default="", db_default="")
    file_sha256 = models.CharField(max_length=64)
    columns = models.JSONField(default=list, help_text="The file's header, in its order.")
    status = models.CharField(
        max_length=20,
        choices=ImportStatus.choices,
        default=ImportStatus.QUEUED,
        db_default=ImportStatus.QUEUED,
    )
    rows_total = models.PositiveIntegerField(default=0, db_default=0)
    rows_done = models.PositiveIntegerField(default=0, db_default=0)
    matched_count = models.PositiveIntegerField(default=0, db_default=0)
    unmatched_count = models.PositiveIntegerField(default=0, db_default=0)
    created_count = models.PositiveIntegerField(default=0, db_default=0)
    updated_count = models.PositiveIntegerField(default=0, db_default=0)
    unchanged_count = models.PositiveIntegerField(default=0, db_default=0)
    error_message = models.TextField(blank=True, default="", db_default="")
    # The collections this import created (named after shelves); undo deletes them.
    created_collection_ids = models.JSONField(default=list, db_default=models.Value([], models.JSONField()))
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "library_imports"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(F("user"), F("created_at").desc(), F("id").desc(), name="library_imports_user_idx"),
            models.Index(F("created_at").desc(), F("id").desc(), name="library_imports_newest_idx"),
            models.Index(
                fields=["lease_expires_at"],
                name="library_imports_lease_idx",
                condition=Q(status__in=IMPORT_RUNNING),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="reviews_libraryimport_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ImportSource.values), name="reviews_libraryimport_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=F("rows_total")), name="reviews_libraryimport_done_le_total"
            ),
            # One run of a file at a time per reader: a concurrent upload of the same file is a 409.
            models.UniqueConstraint(
                fields=["user", "file_sha256"],
                condition=Q(status__in=IMPORT_RUNNING),
                name="reviews_libraryimport_one_running_per_file",
                violation_error_message="This file is already being imported.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import by {self.user} ({self.status})"


class LibraryImportFile(models.Model):
    """An uploaded file until a worker has read it into rows (then it is deleted): the upload only checks
    the file, so a request never waits on reading 50,000 rows."""

    library_import = models.OneToOneField(
        LibraryImport, on_delete=models.CASCADE, primary_key=True, related_name="file"
    )
    data = models.BinaryField()

    class Meta:
        db_table = "library_import_files"

    def __str__(self) -> str:
        return f"file of {self.library_import_id}"


class RowOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    UNMATCHED = "unmatched", "Unmatched"


class LibraryImportRow(models.Model):
    """One line of an imported file: what it said, the book it was matched to (and how), or why not."""

    id = models.BigAutoField(primary_key=True)
    library_import = models.ForeignKey(
        LibraryImport, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    number = models.PositiveIntegerField(help_text="The row's place among the file's data rows, from 1.")
    cells = models.JSONField(help_text="The row as the file gave it, by column.")
    entry = models.JSONField(
        help_text="What Folio read from it: title, author, ISBNs, rating, shelves, dates."
    )
    book = models.ForeignKey(
        "catalog.Book", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    match_method = models.CharField(max_length=20, blank=True, default="", db_default="")
    match_confidence = models.FloatField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    unmatched_reason = models.TextField(blank=True, default="", db_default="")
    candidates = models.JSONField(default=list, db_default=models.Value([], models.JSONField()))
    outcome = models.CharField(
        max_length=20, choices=RowOutcome.choices, default=RowOutcome.PENDING, db_default=RowOutcome.PENDING
    )
    notes = models.JSONField(default=list, db_default=models.Value([], models.JSONField()))
    # What applying the row changed, to undo it: the review it created, or the review as it was before
    # the import changed it, and the collections it added the book to.
    undo = models.JSONField(default=dict, db_default=models.Value({}, models.JSONField()))

    class Meta:
        db_table = "library_import_rows"
        ordering = ["library_import", "number"]
        indexes = [
            models.Index(fields=["library_import", "outcome", "number"], name="import_rows_outcome_idx"),
            models.Index(fields=["book"], name="import_rows_book_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["library_import", "number"], name="reviews_libraryimportrow_one_per_number"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=RowOutcome.values), name="reviews_libraryimportrow_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"row {self.number}"
