from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from catalog.models import Book
from reviews.models import Review
from tests.catalog.factories import BookFactory
from tests.commands import assert_reported, run_command
from tests.reviews.factories import ReviewFactory
from tests.reviews.helpers import assert_aggregates_exact, stars

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "catalog" / "data" / "goodbooks-10k" / "samples"


def test_recompute_check_detects_a_deliberately_corrupted_row_and_repair_fixes_it():
    review = ReviewFactory(rating=5)
    Book.objects.filter(pk=review.book_id).update(rating_2_count=3)
    with pytest.raises(CommandError, match="1 book"):
        call_command("recompute_ratings", check=True, stdout=StringIO())
    call_command("recompute_ratings", stdout=StringIO())
    call_command("recompute_ratings", check=True, stdout=StringIO())
    assert stars(review.book) == [0, 0, 0, 0, 1]


def _import_ratings(path) -> tuple[str, str]:
    return run_command("import_ratings", str(path))


def test_import_ratings_creates_readers_and_reviews_idempotently(tmp_path):
    for source_id in (1, 2):
        BookFactory(source_book_id=source_id)
    path = tmp_path / "ratings.csv"
    path.write_text("user_id,book_id,rating\n7,1,5\n7,2,3\n8,1,4\n9,999,5\n9,1,0\n9,1,4.5\nx,1,3\n8,1,2\n")
    out, err = _import_ratings(path)
    assert "8 rows: created 3, updated 0, unchanged 0, duplicates 1, rejected 4" in out
    assert_reported(
        err,
        "line 5: rejected: book_id “999” is not an imported book",
        "line 6: rejected: rating “0”",
        "line 7: rejected: rating “4.5”",
        "line 8: rejected: user_id “x”",
    )
    reader = User.objects.get(email="reader8@example.invalid")
    assert not reader.has_usable_password()
    assert (reader.first_name, reader.last_name) == ("Ibrahim", "Adams")  # a display name, not a number
    assert User.objects.get(email="reader7@example.invalid").first_name == "Hana"
    assert Review.objects.get(user=reader).rating == 2  # the later line wins
    assert_aggregates_exact()
    out, _ = _import_ratings(path)
    assert "created 0, updated 0, unchanged 3" in out
    assert Review.objects.count() == 3


def test_import_ratings_of_the_goodbooks_sample():
    call_command("import_books", str(SAMPLES / "books.csv"), stdout=StringIO(), stderr=StringIO())
    out, err = _import_ratings(SAMPLES / "ratings.csv")
    assert "99 rows:" in out
    created = Review.objects.count()
    rejected = err.count("rejected")
    assert created + rejected == 99
    assert_aggregates_exact()


def test_import_ratings_missing_columns_fails_fast(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("user,book\n1,2\n")
    with pytest.raises(CommandError, match="Missing required column"):
        _import_ratings(path)
    assert not Review.objects.exists()
