"""Library imports end to end on the real catalog: what a Goodreads or StoryGraph export creates, the
report, resolving a row, undo, re-import, failures and a worker that dies."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from collections_app.models import Collection, CollectionBook
from core.errors import ConflictError
from reviews import library_selectors, library_services
from reviews.models import ImportStatus, LibraryImport, LibraryImportRow, Review, RowOutcome
from reviews.services import ratings_recompute
from tests.accounts.factories import UserFactory
from tests.reviews.library_exports import (
    goodreads_file,
    goodreads_row,
    real_books,
    storygraph_file,
    storygraph_row,
)

pytestmark = pytest.mark.django_db

BOOKS = real_books()
HENRIETTA = next(book for book in BOOKS if book.title == "The Immortal Life of Henrietta Lacks")


def _import(user, data: bytes, file_name: str = "goodreads_library_export.csv") -> LibraryImport:
    library_import = library_services.library_import_start(user=user, file_name=file_name, data=data)
    assert library_services.library_import_run(import_id=library_import.pk) == "complete"
    library_import.refresh_from_db()
    return library_import


def _library(user) -> dict:
    """The reader's library as an import changes it: reviews, and each collection's books in order."""
    reviews = {
        str(book_id): (rating, text)
        for book_id, rating, text in Review.objects.filter(user=user).values_list(
            "book_id", "rating", "review_text"
        )
    }
    shelves = {
        collection.name: [
            str(book_id)
            for book_id in CollectionBook.objects.filter(collection=collection)
            .order_by("added_at", "book_id")
            .values_list("book_id", flat=True)
        ]
        for collection in Collection.objects.filter(created_by=user)
    }
    return {"reviews": reviews, "shelves": shelves}


def _a_goodreads_library() -> list[dict]:
    rows = []
    for i, book in enumerate(BOOKS[:120]):
        rows.append(
            goodreads_row(
                book,
                My_Rating=str(i % 6),
                My_Review="Loved it.<br/>Truly." if i % 7 == 0 and i % 6 else "",
                Exclusive_Shelf="to-read" if i % 6 == 0 else "read",
                Bookshelves="fantasy, favorites" if i % 4 == 0 else "",
                Bookshelves_with_positions=f"fantasy (#{120 - i}), favorites (#{i})" if i % 4 == 0 else "",
                Date_Added=f"2018/{1 + i % 12:02d}/{1 + i % 28:02d}",
            )
        )
    # Rows Goodreads writes for books this catalog lacks, or spells its own way:
    rows.append(
        goodreads_row(
            BOOKS[0], Title="A Pamphlet Nobody Printed", Author="Anon Ymous", ISBN='=""', ISBN13='=""'
        )
    )
    no_isbn = goodreads_row(BOOKS[200], My_Rating="3", ISBN='=""', ISBN13='=""')
    typo = goodreads_row(
        HENRIETTA, My_Rating="5", ISBN='=""', ISBN13='=""', Title="The Imortal Life of Henrieta Lacks"
    )
    rows += [no_isbn, typo]
    return rows


def test_a_goodreads_library_becomes_reviews_and_shelves_and_a_report(real_catalog):
    reader = UserFactory(timezone="Europe/Paris")
    rows = _a_goodreads_library()
    library_import = _import(reader, goodreads_file(rows))

    assert library_import.status == ImportStatus.COMPLETE
    assert (library_import.rows_total, library_import.rows_done) == (123, 123)
    assert library_import.unmatched_count == 1
    assert library_import.matched_count == 122
    rated = [i for i in range(120) if i % 6] + [200, "henrietta"]
    assert Review.objects.filter(user=reader).count() == len(rated)
    assert not Review.objects.filter(user=reader, book_id=real_catalog[1]).exists()  # row 1: "0" is no rating
    harry = Review.objects.get(user=reader, book_id=real_catalog[BOOKS[7].book_id])
    assert (harry.rating, harry.review_text) == (1, "Loved it.\nTruly.")
    assert Review.objects.get(user=reader, book_id=real_catalog[HENRIETTA.book_id]).rating == 5

    names = set(Collection.objects.filter(created_by=reader).values_list("name", flat=True))
    assert names == {"Want to read", "Read", "fantasy", "favorites"}
    assert all(c.visibility == "private" for c in Collection.objects.filter(created_by=reader))
    fantasy = _library(reader)["shelves"]["fantasy"]
    # Shelf positions run backwards from the file's order: the collection follows the positions.
    assert fantasy == [str(real_catalog[BOOKS[i].book_id]) for i in reversed(range(0, 120, 4))]
    want = CollectionBook.objects.get(collection__name="Want to read", book_id=real_catalog[BOOKS[6].book_id])
    # "Date Added", in the reader's zone (a microsecond per place keeps a day's books in file order)
    assert want.added_at.replace(microsecond=0) == datetime(2018, 7, 7, tzinfo=ZoneInfo("Europe/Paris"))

    by_number = {row.number: row for row in LibraryImportRow.objects.filter(library_import=library_import)}
    assert by_number[1].match_method == "isbn13" and by_number[1].outcome == RowOutcome.CREATED
    assert by_number[121].outcome == RowOutcome.UNMATCHED
    assert by_number[121].unmatched_reason and by_number[121].book_id is None
    assert by_number[122].match_method == "title_author"
    assert by_number[123].match_method == "similar_title" and by_number[123].match_confidence < 1
    assert ratings_recompute(check_only=True) == []


def test_storygraph_export_with_fractional_stars(real_catalog):
    reader = UserFactory()
    rows = [
        storygraph_row(BOOKS[2], **{"Star Rating": "3.75", "Review": "Moody.", "Tags": "vampires"}),
        storygraph_row(BOOKS[3], **{"Star Rating": "4.5", "ISBN/UID": ""}),
        storygraph_row(BOOKS[4], **{"Star Rating": "", "Read Status": "currently-reading"}),
    ]
    library_import = _import(reader, storygraph_file(rows), "storygraph.csv")
    assert library_import.source == "storygraph"
    assert library_import.created_count == 3
    ratings = dict(Review.objects.filter(user=reader).values_list("book_id", "rating"))
    assert ratings == {real_catalog[BOOKS[2].book_id]: 4, real_catalog[BOOKS[3].book_id]: 5}
    first = LibraryImportRow.objects.get(library_import=library_import, number=1)
    assert first.notes == ["The rating 3.75 was rounded to 4 stars (Folio keeps whole stars)."]
    assert set(_library(reader)["shelves"]) == {"Read", "vampires", "Currently reading"}


def test_importing_the_same_file_again_changes_nothing(real_catalog):
    reader = UserFactory()
    data = goodreads_file(_a_goodreads_library())
    _import(reader, data)
    before = _library(reader)
    again = _import(reader, data)
    assert _library(reader) == before
    assert (again.created_count, again.updated_count) == (0, 0)
    assert again.unchanged_count == again.matched_count == 122
    assert Collection.objects.filter(created_by=reader).count() == 4


def test_undo_removes_what_the_import_created_and_restores_what_it_changed(real_catalog):
    reader = UserFactory()
    hunger_games, twilight = real_catalog[1], real_catalog[3]
    kept = Review.objects.create(user=reader, book_id=twilight, rating=2, review_text="Not for me.")
    kept_updated_at = Review.objects.get(pk=kept.pk).updated_at
    read_shelf = Collection.objects.create(created_by=reader, name="Read")
    CollectionBook.objects.create(collection=read_shelf, book_id=hunger_games)
    before = _library(reader)

    rows = [
        goodreads_row(BOOKS[0], My_Rating="5"),  # on "Read" already; a new review
        goodreads_row(BOOKS[2], My_Rating="4", My_Review="Changed my mind."),  # changes the kept review
        goodreads_row(BOOKS[5], My_Rating="3", Bookshelves="classics"),  # a new shelf
    ]
    library_import = _import(reader, goodreads_file(rows))
    assert library_import.updated_count == 1 and library_import.created_count == 2
    assert Review.objects.get(pk=kept.pk).rating == 4

    library_services.library_import_undo(library_import=library_import)
    assert _library(reader) == before
    restored = Review.objects.get(pk=kept.pk)
    assert (restored.rating, restored.review_text, restored.updated_at) == (2, "Not for me.", kept_updated_at)
    assert Collection.objects.filter(pk=read_shelf.pk).exists()  # the reader's own shelf stays
    library_import.refresh_from_db()
    assert library_import.status == ImportStatus.UNDONE
    assert ratings_recompute(check_only=True) == []
    with pytest.raises(ConflictError):
        library_services.library_import_undo(library_import=library_import)


def test_an_unmatched_row_resolved_by_the_reader_is_applied(real_catalog):
    reader = UserFactory()
    rows = [
        goodreads_row(
            BOOKS[0],
            Title="Hunger Gamez: a novel?",
            Author="S. C.",
            ISBN='=""',
            ISBN13='=""',
            My_Rating="4",
            Bookshelves="dystopia",
        )
    ]
    library_import = _import(reader, goodreads_file(rows))
    row = LibraryImportRow.objects.get(library_import=library_import, number=1)
    assert row.outcome == RowOutcome.UNMATCHED
    assert "1" in library_selectors.library_import_unmatched_csv(library_import=library_import)

    from catalog.models import Book

    library_services.library_import_row_resolve(row=row, book=Book.objects.get(pk=real_catalog[1]))
    row.refresh_from_db()
    assert (row.match_method, row.outcome) == ("resolved", RowOutcome.CREATED)
    assert Review.objects.get(user=reader, book_id=real_catalog[1]).rating == 4
    assert _library(reader)["shelves"] == {"Read": [str(real_catalog[1])], "dystopia": [str(real_catalog[1])]}
    library_import.refresh_from_db()
    assert (library_import.unmatched_count, library_import.created_count) == (0, 1)
    with pytest.raises(ConflictError):
        library_services.library_import_row_resolve(row=row, book=Book.objects.get(pk=real_catalog[1]))
    library_services.library_import_undo(library_import=library_import)  # undo covers resolved rows too
    assert _library(reader) == {"reviews": {}, "shelves": {}}


def test_a_book_named_twice_in_one_file_is_imported_once(real_catalog):
    reader = UserFactory()
    rows = [goodreads_row(BOOKS[0], My_Rating="5"), goodreads_row(BOOKS[0], My_Rating="1")]
    library_import = _import(reader, goodreads_file(rows))
    assert Review.objects.get(user=reader).rating == 5
    second = LibraryImportRow.objects.get(library_import=library_import, number=2)
    assert second.outcome == RowOutcome.UNCHANGED
    assert second.notes == ["The file names this book again (row 1)."]


def test_a_failure_while_applying_leaves_the_readers_data_as_it_was(real_catalog, monkeypatch):
    reader = UserFactory()
    Review.objects.create(user=reader, book_id=real_catalog[3], rating=2)
    before = _library(reader)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(library_services, "_shelf_collections", broken)
    library_import = library_services.library_import_start(
        user=reader, file_name="x.csv", data=goodreads_file(_a_goodreads_library())
    )
    with pytest.raises(RuntimeError):
        library_services.library_import_run(import_id=library_import.pk)
    library_import.refresh_from_db()
    assert library_import.status == ImportStatus.FAILED
    assert "nothing of it was applied" in library_import.error_message
    assert _library(reader) == before
    assert ratings_recompute(check_only=True) == []


def test_an_import_whose_worker_died_is_queued_again_and_resumes(
    real_catalog, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.LIBRARY_IMPORT_MATCH_BATCH = 50
    reader = UserFactory()
    library_import = library_services.library_import_start(
        user=reader, file_name="x.csv", data=goodreads_file(_a_goodreads_library())
    )
    real_match = library_services.books_match
    batches = []

    def dies_on_the_second_batch(wanted):
        batches.append(len(wanted))
        if len(batches) == 2:
            raise KeyboardInterrupt  # the process is killed: nothing in the worker gets to clean up
        return real_match(wanted)

    monkeypatch.setattr(library_services, "books_match", dies_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        library_services.library_import_run(import_id=library_import.pk)
    library_import.refresh_from_db()
    assert (library_import.status, library_import.rows_done) == (ImportStatus.MATCHING, 50)
    first_matched_at = LibraryImportRow.objects.get(library_import=library_import, number=1).matched_at

    assert library_services.library_imports_recover() == 0  # its lease has not run out yet
    LibraryImport.objects.filter(pk=library_import.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert library_services.library_imports_recover() == 1
    assert DBTaskResult.objects.filter(
        task_path=library_services.RUN_LIBRARY_IMPORT_TASK, args_kwargs__args__0=str(library_import.pk)
    ).exists()

    monkeypatch.setattr(library_services, "books_match", real_match)
    assert library_services.library_import_run(import_id=library_import.pk) == "complete"
    library_import.refresh_from_db()
    assert (library_import.status, library_import.attempts, library_import.rows_done) == ("complete", 2, 123)
    # The first batch was not matched again: the second worker went on from row 51.
    assert (
        LibraryImportRow.objects.get(library_import=library_import, number=1).matched_at == first_matched_at
    )
    assert library_import.unmatched_count == 1


def test_an_import_that_keeps_stopping_fails_with_a_message(real_catalog, settings):
    reader = UserFactory()
    library_import = library_services.library_import_start(
        user=reader, file_name="x.csv", data=goodreads_file([goodreads_row(BOOKS[0], My_Rating="5")])
    )
    LibraryImport.objects.filter(pk=library_import.pk).update(
        status=ImportStatus.MATCHING, attempts=settings.LIBRARY_IMPORT_MAX_ATTEMPTS
    )
    assert library_services.library_import_run(import_id=library_import.pk) == "not running here"
    library_import.refresh_from_db()
    assert library_import.status == ImportStatus.FAILED
    assert "stopped 3 times" in library_import.error_message
    assert not Review.objects.filter(user=reader).exists()


def test_the_goodreads_export_reads_back_to_the_same_library(real_catalog):
    """Round trip: a library made through an import, with a review edited by hand and a collection made by
    hand, exported and imported by another reader, gives that reader the same library."""
    reader = UserFactory()
    _import(reader, goodreads_file(_a_goodreads_library()))
    review = Review.objects.filter(user=reader).first()
    Review.objects.filter(pk=review.pk).update(review_text="=SUM(A1:A9) — and a line\nbreak, “quotes”")
    mine = Collection.objects.create(created_by=reader, name="Holiday, 2024 -picks")
    CollectionBook.objects.create(collection=mine, book_id=real_catalog[BOOKS[300].book_id])
    CollectionBook.objects.create(collection=mine, book_id=real_catalog[BOOKS[301].book_id])

    exported = library_selectors.goodreads_export_csv(user=reader)
    assert "'=SUM(A1:A9)" in exported  # a formula a spreadsheet would run is neutralised

    newcomer = UserFactory()
    again = _import(newcomer, exported.encode(), "folio-goodreads-export.csv")
    assert again.unmatched_count == 0
    assert {row.match_method for row in LibraryImportRow.objects.filter(library_import=again)} == {"folio_id"}
    expected = _library(reader)
    expected["shelves"]["Holiday; 2024 -picks"] = expected["shelves"].pop("Holiday, 2024 -picks")
    assert _library(newcomer) == expected
