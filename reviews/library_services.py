"""Every write of a library import: starting one, running it (matching, then applying), resolving a row
by hand, and undoing it.

The upload only checks the file (encoding, header, every line parses, at most the allowed rows) and keeps
it; a worker reads it into rows. An import then runs in two phases. *Matching* reads batches of rows and
records, for each, the catalog book it names and how that was found (or why nothing was); each batch
commits, so progress is visible and a worker that dies loses at most one batch. *Applying* writes the
reader's reviews and collections for every matched row in one transaction: it happens whole or not at all,
and it records, row by row, what it changed, so that an undo restores exactly what was there. A worker
holds a lease on the import while it runs; when the lease runs out (the worker died) the sweeper puts the
import back in the queue, and it resumes where it stopped, a few times, before it fails with a message.
"""

import hashlib
import logging
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from catalog.matching import WantedBook, books_match
from catalog.models import Book
from collections_app.models import Collection, CollectionBook, Visibility
from core.bulk import bulk_update_by_copy
from core.errors import ConflictError
from reviews import library_files
from reviews.models import (
    IMPORT_RUNNING,
    ImportStatus,
    LibraryImport,
    LibraryImportFile,
    LibraryImportRow,
    Review,
    RowOutcome,
)

logger = logging.getLogger(__name__)

RUN_LIBRARY_IMPORT_TASK = "reviews.tasks.run_library_import"
RESOLVED = "resolved"  # the match method of a row the reader resolved by hand


def _enqueue(import_id) -> None:
    from reviews.tasks import run_library_import

    transaction.on_commit(lambda: run_library_import.enqueue(str(import_id)))


# --- starting ---------------------------------------------------------------------------------------------


def library_import_start(*, user: User, file_name: str, data: bytes) -> LibraryImport:
    """Check the file and queue its import (a worker reads its rows); refused with ``LibraryFileRefused``
    (400 or 413) when it cannot be read, and with ``ConflictError`` while the same file is already being
    imported for this reader."""
    limit = settings.LIBRARY_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise library_files.LibraryFileRefused(
            f"The file is {len(data):,} bytes; the limit is {limit:,} ({limit // (1024 * 1024)} MB).",
            status=413,
        )
    survey = library_files.survey(data, max_rows=settings.LIBRARY_IMPORT_MAX_ROWS)
    try:
        with transaction.atomic():
            library_import = LibraryImport.objects.create(
                user=user,
                source=survey.source,
                file_name=(file_name or "")[:255],
                file_sha256=hashlib.sha256(data).hexdigest(),
                columns=survey.columns,
                rows_total=survey.rows,
            )
            LibraryImportFile.objects.create(library_import=library_import, data=data)
            _enqueue(library_import.pk)
    except IntegrityError as exc:
        raise ConflictError("This file is already being imported; wait for that import to finish.") from exc
    return library_import


# --- running ----------------------------------------------------------------------------------------------


def _lease_until() -> datetime:
    return timezone.now() + timedelta(seconds=settings.LIBRARY_IMPORT_LEASE_SECONDS)


def _claim(import_id) -> LibraryImport | None:
    """Take the import for this worker: None when it is over, or another live worker holds it."""
    with transaction.atomic():
        library_import = (
            LibraryImport.objects.select_for_update(skip_locked=True)
            .filter(pk=import_id, status__in=IMPORT_RUNNING)
            .first()
        )
        if library_import is None:
            return None
        now = timezone.now()
        if library_import.lease_expires_at and library_import.lease_expires_at > now:
            return None
        if library_import.attempts >= settings.LIBRARY_IMPORT_MAX_ATTEMPTS:
            library_import.status = ImportStatus.FAILED
            library_import.error_message = (
                f"The import stopped {library_import.attempts} times before it finished; nothing of it was "
                "applied. Try it again later."
            )
            library_import.finished_at = now
            library_import.lease_expires_at = None
            library_import.save(update_fields=["status", "error_message", "finished_at", "lease_expires_at"])
            return None
        library_import.attempts += 1
        if library_import.status == ImportStatus.QUEUED:
            library_import.status = ImportStatus.MATCHING
        library_import.lease_expires_at = _lease_until()
        library_import.save(update_fields=["attempts", "status", "lease_expires_at"])
        return library_import


def _renew(library_import: LibraryImport, **fields) -> None:
    fields["lease_expires_at"] = _lease_until()
    LibraryImport.objects.filter(pk=library_import.pk).update(**fields)


def library_import_run(*, import_id) -> str:
    """The task's body: match what is left to match, then apply. Safe to run again after a crash."""
    library_import = _claim(import_id)
    if library_import is None:
        return "not running here"
    try:
        if library_import.status == ImportStatus.MATCHING:
            _read_rows(library_import)
            _match_remaining(library_import)
            _renew(library_import, status=ImportStatus.APPLYING)
        _apply_all(library_import)
    except Exception as exc:
        logger.exception("library import %s failed", import_id)
        LibraryImport.objects.filter(pk=import_id, status__in=IMPORT_RUNNING).update(
            status=ImportStatus.FAILED,
            error_message=f"The import failed and nothing of it was applied ({type(exc).__name__}).",
            finished_at=timezone.now(),
            lease_expires_at=None,
        )
        raise
    return "complete"


@transaction.atomic
def _read_rows(library_import: LibraryImport) -> None:
    """The uploaded file becomes the import's rows, once (the file goes in the same transaction)."""
    upload = LibraryImportFile.objects.select_for_update().filter(library_import=library_import).first()
    if upload is None:
        return  # read already, by this worker or one before it
    parsed = library_files.read(bytes(upload.data), max_rows=settings.LIBRARY_IMPORT_MAX_ROWS)
    # COPY: Django's bulk insert sends JSON through PostgreSQL arrays, whose quoting costs minutes here.
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY library_import_rows (library_import_id, number, cells, entry, notes) FROM STDIN"
        ) as copy,
    ):
        for number, (cells, entry) in enumerate(zip(parsed.rows, parsed.entries, strict=True), 1):
            notes = entry.pop("notes")
            copy.write_row(
                (
                    library_import.pk,
                    number,
                    orjson.dumps(cells).decode(),
                    orjson.dumps(entry).decode(),
                    orjson.dumps(notes).decode(),
                )
            )
    upload.delete()
    _renew(library_import)


def _wanted(entry: dict) -> WantedBook:
    return WantedBook(
        title=entry.get("title", ""),
        author=entry.get("author", ""),
        isbn13=entry.get("isbn13", ""),
        isbn10=entry.get("isbn10", ""),
        folio_id=entry.get("folio_id", ""),
    )


def _match_remaining(library_import: LibraryImport) -> None:
    rows_left = LibraryImportRow.objects.filter(library_import=library_import, matched_at__isnull=True)
    while True:
        batch = list(rows_left.order_by("number")[: settings.LIBRARY_IMPORT_MATCH_BATCH])
        if not batch:
            return
        matches = books_match([_wanted(row.entry) for row in batch])
        now = timezone.now()
        for row, match in zip(batch, matches, strict=True):
            row.book_id = match.book_id
            row.match_method = match.method
            row.match_confidence = match.confidence
            row.unmatched_reason = match.reason
            row.candidates = match.candidates
            row.outcome = RowOutcome.PENDING if match.matched else RowOutcome.UNMATCHED
            row.matched_at = now
        with transaction.atomic():
            bulk_update_by_copy(
                table="library_import_rows",
                columns=[
                    ("id", "bigint"),
                    ("book_id", "uuid"),
                    ("match_method", "text"),
                    ("match_confidence", "double precision"),
                    ("unmatched_reason", "text"),
                    ("candidates", "jsonb"),
                    ("outcome", "text"),
                    ("matched_at", "timestamptz"),
                ],
                rows=(
                    (
                        row.pk,
                        row.book_id,
                        row.match_method,
                        row.match_confidence,
                        row.unmatched_reason,
                        orjson.dumps(row.candidates).decode(),
                        row.outcome,
                        row.matched_at,
                    )
                    for row in batch
                ),
            )
            done = LibraryImportRow.objects.filter(library_import=library_import, matched_at__isnull=False)
            _renew(library_import, rows_done=done.count())


def _lock_reader(user_id) -> None:
    """Imports and undos of one reader run one after another."""
    list(User.objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True))


@transaction.atomic
def _apply_all(library_import: LibraryImport) -> None:
    _lock_reader(library_import.user_id)
    locked = LibraryImport.objects.select_for_update().get(pk=library_import.pk)
    if locked.status != ImportStatus.APPLYING:
        return
    rows = list(
        LibraryImportRow.objects.filter(library_import=locked, outcome=RowOutcome.PENDING).order_by("number")
    )
    _apply_rows(locked, rows)
    locked.status = ImportStatus.COMPLETE
    locked.finished_at = timezone.now()
    locked.lease_expires_at = None
    locked.rows_done = locked.rows_total
    locked.save(
        update_fields=["status", "finished_at", "lease_expires_at", "rows_done", "created_collection_ids"]
    )
    _recount(locked)


def _recount(library_import: LibraryImport) -> None:
    counts = LibraryImportRow.objects.filter(library_import=library_import).aggregate(
        matched=Count("pk", filter=~Q(outcome=RowOutcome.UNMATCHED)),
        **{outcome: Count("pk", filter=Q(outcome=outcome)) for outcome in RowOutcome.values},
    )
    LibraryImport.objects.filter(pk=library_import.pk).update(
        matched_count=counts["matched"],
        unmatched_count=counts[RowOutcome.UNMATCHED],
        created_count=counts[RowOutcome.CREATED],
        updated_count=counts[RowOutcome.UPDATED],
        unchanged_count=counts[RowOutcome.UNCHANGED],
    )


# --- applying ---------------------------------------------------------------------------------------------


def _added_at(day: str | None, zone: ZoneInfo, fallback: datetime) -> datetime:
    if not day:
        return fallback
    if "T" in day:
        moment = datetime.fromisoformat(day)
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=zone)


def _shelf_collections(library_import: LibraryImport, names: set[str]) -> dict[str, Collection]:
    """The reader's collection for each shelf (by name, ignoring case; the oldest when several share it),
    creating those missing; all of them locked, in id order, as the collection services lock them."""
    if not names:
        return {}
    owned: dict[str, Collection] = {}
    found: Collection
    lowered = {name.lower(): name for name in names}
    for found in (
        Collection.objects.annotate(lower_name=Lower("name"))
        .filter(created_by_id=library_import.user_id, lower_name__in=list(lowered))
        .order_by("created_at", "id")
    ):
        owned.setdefault(found.name.lower(), found)
    missing = [
        Collection(
            id=uuid.uuid4(), created_by_id=library_import.user_id, name=name, visibility=Visibility.PRIVATE
        )
        for lower, name in sorted(lowered.items())
        if lower not in owned
    ]
    Collection.objects.bulk_create(missing)
    library_import.created_collection_ids = [
        *library_import.created_collection_ids,
        *(str(collection.pk) for collection in missing),
    ]
    for collection in missing:
        owned[collection.name.lower()] = collection
    ids = sorted(collection.pk for collection in owned.values())
    list(
        Collection.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
    )
    return owned


def _apply_rows(library_import: LibraryImport, rows: list[LibraryImportRow]) -> None:
    """Write each matched row's review and shelves, recording on the row what changed. The caller holds
    the reader's lock and has the rows in file order."""
    if not rows:
        return
    user_id = library_import.user_id
    zone = ZoneInfo(User.objects.values_list("timezone", flat=True).get(pk=user_id))
    done_books = set(
        LibraryImportRow.objects.filter(library_import=library_import, book__isnull=False)
        .exclude(outcome__in=[RowOutcome.PENDING, RowOutcome.UNMATCHED])
        .exclude(pk__in=[row.pk for row in rows])
        .values_list("book_id", flat=True)
    )
    first_row_of_book: dict = {}
    applying: list[LibraryImportRow] = []
    for row in rows:
        assert row.book_id is not None, "only matched rows are applied"
        row.undo = {}
        if row.book_id in done_books or row.book_id in first_row_of_book:
            earlier = first_row_of_book.get(row.book_id)
            row.notes = [
                *row.notes,
                f"The file names this book again (row {earlier})."
                if earlier
                else ("An earlier row of the file already imported this book."),
            ]
            row.outcome = RowOutcome.UNCHANGED
            continue
        first_row_of_book[row.book_id] = row.number
        applying.append(row)

    book_ids: list[uuid.UUID] = [row.book_id for row in applying if row.book_id is not None]
    reviews = {
        review.book_id: review
        for review in Review.objects.select_for_update().filter(user_id=user_id, book_id__in=book_ids)
    }
    new_reviews: list[Review] = []
    changed_reviews: list[Review] = []
    now = timezone.now()
    for row in applying:
        entry = row.entry
        rating, text = entry.get("rating"), entry.get("review", "")
        review = reviews.get(row.book_id)  # type: ignore[arg-type]  # matched rows only
        if review is None:
            if rating:
                new_review = Review(
                    id=uuid.uuid4(),
                    user_id=user_id,
                    book_id=row.book_id,  # type: ignore[misc]  # matched rows only
                    rating=rating,
                    review_text=text,
                )
                new_reviews.append(new_review)
                row.undo["review_created"] = str(new_review.id)
            elif text:
                row.notes = [*row.notes, "The review text was not kept: a Folio review needs 1 to 5 stars."]
            continue
        wanted = (rating or review.rating, text or review.review_text)
        if wanted != (review.rating, review.review_text):
            row.undo["review_before"] = {
                "id": str(review.id),
                "rating": review.rating,
                "review_text": review.review_text,
                "updated_at": review.updated_at.isoformat(),
            }
            review.rating, review.review_text = wanted
            review.updated_at = now
            changed_reviews.append(review)

    Review.objects.bulk_create(new_reviews, ignore_conflicts=True, batch_size=2000)
    inserted = set(
        Review.objects.filter(pk__in=[review.id for review in new_reviews]).values_list("pk", flat=True)
    )
    for row in applying:
        created = row.undo.get("review_created")
        if created and uuid.UUID(created) not in inserted:  # the reader reviewed it meanwhile
            del row.undo["review_created"]
            row.notes = [*row.notes, "You reviewed this book while the import ran; your review was kept."]
    Review.objects.bulk_update(changed_reviews, ["rating", "review_text", "updated_at"], batch_size=2000)

    shelves = {shelf["name"] for row in applying for shelf in row.entry.get("shelves", [])}
    collections = _shelf_collections(library_import, shelves)
    present: set[tuple] = set(
        CollectionBook.objects.filter(
            collection_id__in=[c.pk for c in collections.values()], book_id__in=book_ids
        ).values_list("collection_id", "book_id")
    )
    by_shelf: dict[str, list[tuple[LibraryImportRow, int | None]]] = {}
    for row in applying:
        for shelf in row.entry.get("shelves", []):
            by_shelf.setdefault(shelf["name"].lower(), []).append((row, shelf.get("position")))
    memberships = []
    for lower, placed in by_shelf.items():
        collection = collections[lower]
        # In shelf order where the file gives positions: each book is added at its own date, but never
        # before the book above it on the shelf, so the collection keeps the shelf's order. Rows without a
        # position follow, a microsecond apart so that books added on one day keep the file's order.
        placed.sort(key=lambda item: (item[1] is None, item[1] or 0, item[0].number))
        previous: datetime | None = None
        for rank, (row, position) in enumerate(placed):
            added_at = _added_at(row.entry.get("date_added"), zone, now)
            if position is not None and previous is not None and added_at <= previous:
                added_at = previous + timedelta(microseconds=1)
            elif position is None:
                added_at += timedelta(microseconds=rank)
            previous = added_at
            if (collection.pk, row.book_id) in present:
                continue
            present.add((collection.pk, row.book_id))
            memberships.append(
                CollectionBook(collection=collection, book_id=row.book_id, added_at=added_at)  # type: ignore[misc]
            )
            row.undo.setdefault("memberships", []).append(str(collection.pk))
    CollectionBook.objects.bulk_create(memberships, batch_size=2000)

    for row in applying:
        if "review_before" in row.undo:
            row.outcome = RowOutcome.UPDATED
        elif row.undo:
            row.outcome = RowOutcome.CREATED
        else:
            row.outcome = RowOutcome.UNCHANGED
    bulk_update_by_copy(
        table="library_import_rows",
        columns=[("id", "bigint"), ("outcome", "text"), ("notes", "jsonb"), ("undo", "jsonb")],
        rows=(
            (row.pk, row.outcome, orjson.dumps(row.notes).decode(), orjson.dumps(row.undo).decode())
            for row in rows
        ),
    )


# --- the reader's corrections -----------------------------------------------------------------------------


def _lock_finished(library_import: LibraryImport) -> LibraryImport:
    _lock_reader(library_import.user_id)
    locked = LibraryImport.objects.select_for_update().get(pk=library_import.pk)
    if locked.status in IMPORT_RUNNING:
        raise ConflictError("The import is still running; wait for it to finish.")
    if locked.status != ImportStatus.COMPLETE:
        raise ConflictError(f"The import is {locked.get_status_display().lower()}; it can no longer change.")
    return locked


@transaction.atomic
def library_import_row_resolve(*, row: LibraryImportRow, book: Book) -> LibraryImportRow:
    """Match an unmatched row to ``book`` and apply it, as the import would have."""
    library_import = _lock_finished(row.library_import)
    row = LibraryImportRow.objects.select_for_update().get(pk=row.pk)
    if row.outcome != RowOutcome.UNMATCHED:
        raise ConflictError("This row was matched and applied already.")
    row.book = book
    row.match_method = RESOLVED
    row.match_confidence = 1.0
    row.unmatched_reason = ""
    row.save(update_fields=["book", "match_method", "match_confidence", "unmatched_reason"])
    _apply_rows(library_import, [row])
    library_import.save(update_fields=["created_collection_ids"])
    _recount(library_import)
    return row


@transaction.atomic
def library_import_undo(*, library_import: LibraryImport) -> LibraryImport:
    """Remove what the import created and put back what it changed, exactly as it was."""
    locked = _lock_finished(library_import)
    user_id = locked.user_id
    undone = LibraryImportRow.objects.filter(library_import=locked).exclude(undo={})
    created_reviews: list[str] = []
    restored: list[Review] = []
    memberships: list[tuple[str, str]] = []
    for book_id, undo in undone.values_list("book_id", "undo"):
        if "review_created" in undo:
            created_reviews.append(undo["review_created"])
        if "review_before" in undo:
            before = undo["review_before"]
            restored.append(
                Review(
                    id=before["id"],
                    rating=before["rating"],
                    review_text=before["review_text"],
                    updated_at=datetime.fromisoformat(before["updated_at"]),
                )
            )
        memberships.extend((collection_id, str(book_id)) for collection_id in undo.get("memberships", []))
    Review.objects.filter(user_id=user_id, pk__in=created_reviews).delete()
    Review.objects.bulk_update(restored, ["rating", "review_text", "updated_at"], batch_size=2000)
    if memberships:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                DELETE FROM collection_books cb
                USING unnest(%s::uuid[], %s::uuid[]) AS m(collection_id, book_id), collections c
                WHERE cb.collection_id = m.collection_id AND cb.book_id = m.book_id
                  AND c.id = cb.collection_id AND c.created_by_id = %s
                """,
                [[m[0] for m in memberships], [m[1] for m in memberships], user_id],
            )
    Collection.objects.filter(created_by_id=user_id, pk__in=locked.created_collection_ids).delete()
    locked.status = ImportStatus.UNDONE
    locked.undone_at = timezone.now()
    locked.save(update_fields=["status", "undone_at"])
    return locked


# --- workers that died ------------------------------------------------------------------------------------


def library_imports_recover() -> int:
    """Queue again the imports whose worker stopped (their lease ran out), so another worker resumes them;
    ``library_import_run`` fails one that stopped too often. Returns how many were queued again."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    with transaction.atomic():
        lost = list(
            LibraryImport.objects.select_for_update(skip_locked=True)
            .filter(status__in=IMPORT_RUNNING, lease_expires_at__lt=now)
            .values_list("pk", flat=True)
        )
        if not lost:
            return 0
        LibraryImport.objects.filter(pk__in=lost).update(lease_expires_at=None)
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING,
            task_path=RUN_LIBRARY_IMPORT_TASK,
            args_kwargs__args__0__in=[str(pk) for pk in lost],
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="reviews.library_services.WorkerLost",
            traceback="The worker running this task stopped before it finished (its import's lease expired).",
        )
        for pk in lost:
            _enqueue(pk)
    return len(lost)
