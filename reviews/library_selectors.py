"""Every read of library imports and exports: a reader's imports and their rows, the unmatched rows as a
CSV to fix and import again, and the reader's library written as a Goodreads export."""

import uuid
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from catalog.isbn import InvalidIsbn
from collections_app.models import CollectionBook
from reviews.library_files import EXCLUSIVE_SHELF_OF_COLLECTION, GOODREADS_COLUMNS, csv_text
from reviews.models import LibraryImport, LibraryImportRow, Review, RowOutcome

UNMATCHED_EXTRA_COLUMNS = ["Folio: why unmatched", "Folio: nearest books"]


def library_import_list(*, user: User) -> QuerySet[LibraryImport]:
    return LibraryImport.objects.filter(user=user).defer("columns").order_by("-created_at", "-id")


def library_import_get(*, user: User, import_id: uuid.UUID) -> LibraryImport:
    """The reader's own import; anyone else's does not exist (404)."""
    return get_object_or_404(LibraryImport.objects.filter(user=user), pk=import_id)


def library_import_rows(
    *, library_import: LibraryImport, outcome: str | None = None
) -> QuerySet[LibraryImportRow]:
    rows = LibraryImportRow.objects.filter(library_import=library_import).select_related("book")
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.only(
        *(field.name for field in LibraryImportRow._meta.concrete_fields if field.name != "undo"),
        "book__id",
        "book__title",
        "book__author",
        "book__isbn",
    ).order_by("number")


def library_import_row_get(*, library_import: LibraryImport, number: int) -> LibraryImportRow:
    return get_object_or_404(library_import_rows(library_import=library_import), number=number)


def library_import_unmatched_csv(*, library_import: LibraryImport) -> str:
    """The unmatched rows with the file's own columns, plus why and the nearest books: fix them (an ISBN,
    a title) and import the file again."""
    columns = list(library_import.columns)
    rows = LibraryImportRow.objects.filter(library_import=library_import, outcome=RowOutcome.UNMATCHED)
    lines = []
    for cells, reason, candidates in rows.order_by("number").values_list(
        "cells", "unmatched_reason", "candidates"
    ):
        nearest = "; ".join(f"{c['title']} by {c['author']}" for c in candidates)
        lines.append([*(cells.get(column, "") for column in columns), reason, nearest])
    return csv_text([*columns, *UNMATCHED_EXTRA_COLUMNS], lines)


# --- the Goodreads export ---------------------------------------------------------------------------------


def _isbn10(isbn13: str | None) -> str:
    if not isbn13 or not isbn13.startswith("978"):
        return ""
    body = isbn13[3:12]
    check = sum((10 - i) * int(d) for i, d in enumerate(body)) % 11
    digit = (11 - check) % 11
    return body + ("X" if digit == 10 else str(digit))


def _shelf(name: str) -> str:
    # Goodreads separates shelves with commas; a comma inside a collection's name would split it.
    return name.replace(",", ";").strip()


def _author_last_first(author: str) -> str:
    words = author.split()
    return f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else author


def goodreads_export_csv(*, user: User) -> str:
    """The reader's ratings, reviews and collections in Goodreads' columns, one row per book: rated or
    reviewed, or on one of the reader's collections (its shelves, with positions in the collection's
    order). The exclusive shelves come from the collections named "Read", "Want to read", "Currently
    reading", "Did not finish" or "Paused". This importer reads the file back to the same library."""
    zone = ZoneInfo(user.timezone)
    books: dict[uuid.UUID, dict] = {}
    for review in Review.objects.filter(user=user).select_related("book").order_by("created_at", "id"):
        books[review.book_id] = {
            "book": review.book,
            "rating": review.rating,
            "text": review.review_text,
            "added": review.created_at,
            "shelves": [],
        }
    memberships = (
        CollectionBook.objects.filter(collection__created_by=user)
        .select_related("book", "collection")
        .order_by("collection__created_at", "collection_id", "added_at", "book_id")
    )
    position: dict[uuid.UUID, int] = defaultdict(int)
    for membership in memberships:
        position[membership.collection_id] += 1
        record = books.setdefault(
            membership.book_id,
            {"book": membership.book, "rating": 0, "text": "", "added": membership.added_at, "shelves": []},
        )
        record["added"] = min(record["added"], membership.added_at)
        record["shelves"].append((membership.collection.name, position[membership.collection_id]))
    lines = []
    for record in books.values():
        book = record["book"]
        exclusive = ""
        shelves, positioned = [], []
        for name, place in record["shelves"]:
            slug = EXCLUSIVE_SHELF_OF_COLLECTION.get(name.strip().lower())
            shelf = slug or _shelf(name)
            if slug and not exclusive:
                exclusive = slug
            else:
                shelves.append(shelf)
            positioned.append(f"{shelf} (#{place})")
        authors = [part.strip() for part in book.author.split(",") if part.strip()]
        try:
            isbn10 = _isbn10(book.isbn)
        except (InvalidIsbn, ValueError):
            isbn10 = ""
        lines.append(
            [
                str(book.id),
                book.title,
                authors[0] if authors else book.author,
                _author_last_first(authors[0]) if authors else "",
                ", ".join(authors[1:]),
                isbn10,
                book.isbn or "",
                record["rating"],
                book.average_rating,
                "",
                "",
                "",
                book.publication_year if book.publication_year is not None else "",
                book.publication_year if book.publication_year is not None else "",
                "",
                record["added"].astimezone(zone).strftime("%Y/%m/%d"),
                ", ".join(shelves),
                ", ".join(positioned),
                exclusive,
                record["text"],
                "",
                "",
                1 if exclusive == "read" else 0,
                0,
            ]
        )
    return csv_text(GOODREADS_COLUMNS, lines)
