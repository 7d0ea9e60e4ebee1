import pytest
from django.db import IntegrityError, connection, transaction

from catalog.models import Book, BookGenre, Genre
from tests.catalog.factories import BookFactory, GenreFactory

pytestmark = pytest.mark.django_db


def test_isbn_must_be_unique():
    BookFactory(isbn="9780439023481")
    with pytest.raises(IntegrityError), transaction.atomic():
        BookFactory(isbn="9780439023481")


def test_isbn_column_only_holds_isbn13():
    with pytest.raises(IntegrityError), transaction.atomic():
        BookFactory(isbn="0439023483")


def test_empty_title_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        BookFactory(title="")


def test_genre_names_are_unique_ignoring_case():
    GenreFactory(name="Fantasy", slug="fantasy")
    with pytest.raises(IntegrityError), transaction.atomic():
        GenreFactory(name="FANTASY", slug="fantasy-2")


def test_new_book_has_zero_aggregates():
    book = Book.objects.get(pk=BookFactory().pk)
    assert (book.total_reviews, book.average_rating) == (0, 0)
    assert book.rating_histogram == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}


def test_average_and_total_derive_from_star_counts():
    book = BookFactory()
    Book.objects.filter(pk=book.pk).update(rating_5_count=2, rating_2_count=1)
    book.refresh_from_db()
    assert book.total_reviews == 3
    assert str(book.average_rating) == "4.00"


@pytest.mark.parametrize(("table", "column"), [("books", "book_id"), ("genres", "genre_id")])
def test_book_genres_cascade_in_the_database(table, column):
    genre = GenreFactory()
    book = BookFactory(genres=[genre])
    target = book.pk if table == "books" else genre.pk
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [target])
    assert not BookGenre.objects.exists()


def test_book_genre_pair_is_unique():
    genre = GenreFactory()
    book = BookFactory(genres=[genre])
    with pytest.raises(IntegrityError), transaction.atomic():
        BookGenre.objects.create(book=book, genre=genre)
    assert Genre.objects.count() == 1
