from pathlib import Path

import pytest
from django.core.management import CommandError

from catalog.models import Book, Genre
from tests.commands import assert_reported, run_command

pytestmark = pytest.mark.django_db

DATASET = Path(__file__).resolve().parents[2] / "catalog" / "data" / "goodbooks-10k"
HEADER = (
    "book_id,goodreads_book_id,best_book_id,work_id,books_count,isbn,isbn13,authors,original_publication_year,"
    "original_title,title,language_code,average_rating,ratings_count,work_ratings_count,work_text_reviews_count,"
    "ratings_1,ratings_2,ratings_3,ratings_4,ratings_5,image_url,small_image_url"
)


def _import(path, **options) -> tuple[str, str]:
    return run_command("import_books", str(path), **options)


def _csv(tmp_path, *rows: str) -> Path:
    path = tmp_path / "books.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _row(
    book_id="1",
    isbn="439023483",
    authors="Suzanne Collins",
    year="2008.0",
    title="The Hunger Games",
    url="https://img/1.jpg",
):
    return f'{book_id},99{book_id},1,1,1,{isbn},9.78043902348e+12,"{authors}",{year},{title},"{title}",eng,4.3,1,1,1,1,1,1,1,1,{url},'


def test_sample_file_imports_every_row():
    out, _err = _import(DATASET / "samples" / "books.csv")
    assert "created 99, updated 0, unchanged 0" in out
    assert Book.objects.count() == 99
    hunger = Book.objects.get(source_book_id=1)
    assert hunger.isbn == "9780439023481"  # leading zero restored, float isbn13 ignored
    assert hunger.publication_year == 2008


def test_full_goodbooks_file_is_stored_or_reported_and_reimport_is_a_noop():
    out, err = _import(DATASET / "books.csv")
    assert "created 10000, updated 0, unchanged 0, warned 28, rejected 0" in out
    assert Book.objects.count() == 10000
    assert err.count("ISBN dropped") == 23  # the 23 ISBN-10 values whose checksum fails
    assert err.count("shortened") == 5
    assert Book.objects.filter(isbn__isnull=True).count() == 723
    assert Book.objects.filter(publication_year__lt=0).exists()
    out, _err = _import(DATASET / "books.csv", quiet_issues=True)
    assert "created 0, updated 0, unchanged 10000" in out
    assert Book.objects.count() == 10000


def test_changed_rows_are_updated_and_matched_by_source_id(tmp_path):
    _import(_csv(tmp_path, _row(), _row(book_id="2", isbn="", title="No Isbn")))
    out, _ = _import(
        _csv(tmp_path, _row(title="The Hunger Games (revised)"), _row(book_id="2", isbn="", title="Renamed"))
    )
    assert "created 0, updated 2, unchanged 0" in out
    assert set(Book.objects.values_list("title", flat=True)) == {"The Hunger Games (revised)", "Renamed"}


def test_messy_rows_are_repaired_warned_or_rejected_with_line_numbers(tmp_path):
    path = _csv(
        tmp_path,
        _row(book_id="1", isbn="812971060"),  # bad checksum: imported without ISBN
        _row(book_id="2", isbn="", title=""),  # no title: rejected
        _row(book_id="3", isbn="", authors=""),  # no author: rejected
        _row(book_id="4", isbn="0316015849", year="-750.0", title="Ancient"),
        _row(book_id="5", isbn="0316015849", title="Same ISBN"),  # duplicate ISBN in the file
        _row(book_id="6", isbn="", year="", title="Unknown year"),
    )
    out, err = _import(path)
    assert "created 4, updated 0, unchanged 0, warned 2, rejected 2" in out
    assert_reported(
        err,
        "line 2: warning: ISBN dropped",
        "line 3: rejected: title is missing",
        "line 4: rejected: authors is missing",
        "line 6: warning: ISBN 9780316015844 dropped: already used above",
    )
    assert Book.objects.get(title="Ancient").publication_year == -750
    assert Book.objects.get(title="Unknown year").publication_year is None


def test_missing_columns_fail_fast_and_write_nothing(tmp_path):
    path = tmp_path / "books.csv"
    path.write_text("book_id,title\n1,Dune\n")
    with pytest.raises(CommandError, match="Missing required column"):
        _import(path)
    assert not Book.objects.exists()


def test_dry_run_writes_nothing(tmp_path):
    out, _ = _import(_csv(tmp_path, _row()), dry_run=True)
    assert "Dry run" in out and "created 1" in out
    assert not Book.objects.exists()


def test_tags_that_name_genres_become_genres():
    out, _ = _import(
        DATASET / "samples" / "books.csv",
        tags=str(DATASET / "samples" / "book_tags.csv"),
        tag_names=str(DATASET / "tags.csv"),
    )
    assert "book–genre links" in out
    half_blood_prince = Book.objects.get(
        source_book_id=27
    )  # goodreads id 1, the only book tagged in the sample
    tagged_genres = set(half_blood_prince.genres.values_list("name", flat=True))
    assert {"Fantasy", "Classics", "Children's"} <= tagged_genres
    assert tagged_genres <= set(Genre.objects.values_list("name", flat=True))
