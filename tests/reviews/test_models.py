from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from catalog.models import Book
from reviews.models import Review
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory
from tests.reviews.factories import ReviewFactory
from tests.reviews.helpers import assert_aggregates_exact, stars

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_rating_out_of_range_is_refused_by_the_database(rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(rating=rating)


def test_one_review_per_user_per_book_in_the_database():
    review = ReviewFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(user=review.user, book=review.book)


def test_orm_insert_update_delete_keep_aggregates_exact():
    book = BookFactory()
    first = ReviewFactory(book=book, rating=5)
    ReviewFactory(book=book, rating=2)
    assert stars(book) == [0, 1, 0, 0, 1]
    assert book.total_reviews == 2
    assert book.average_rating == Decimal("3.50")
    first.rating = 3
    first.save()
    assert stars(book) == [0, 1, 1, 0, 0]
    first.delete()
    assert stars(book) == [0, 1, 0, 0, 0]
    assert book.average_rating == Decimal("2.00")


def test_raw_sql_writes_keep_aggregates_exact():
    book, user = BookFactory(), UserFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reviews (user_id, book_id, rating) VALUES (%s, %s, 4)", [user.pk, book.pk]
        )
        assert stars(book) == [0, 0, 0, 1, 0]
        cursor.execute("UPDATE reviews SET rating = 1 WHERE book_id = %s", [book.pk])
        assert stars(book) == [1, 0, 0, 0, 0]
        cursor.execute("DELETE FROM reviews WHERE book_id = %s", [book.pk])
        assert stars(book) == [0, 0, 0, 0, 0]


def test_moving_a_review_to_another_book_moves_its_star():
    review = ReviewFactory(rating=5)
    other = BookFactory()
    Review.objects.filter(pk=review.pk).update(book=other)
    assert stars(review.book) == [0, 0, 0, 0, 0]
    assert stars(other) == [0, 0, 0, 0, 1]


def test_raw_sql_delete_of_a_user_cascades_and_fixes_every_book_they_rated():
    reader, other = UserFactory(), UserFactory()
    books = BookFactory.create_batch(3)
    for book in books:
        ReviewFactory(user=reader, book=book, rating=1)
        ReviewFactory(user=other, book=book, rating=5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [reader.pk])
    for book in books:
        assert stars(book) == [0, 0, 0, 0, 1]
        assert book.average_rating == Decimal("5.00")
    assert_aggregates_exact()


def test_raw_sql_delete_of_a_book_cascades_to_its_reviews():
    review = ReviewFactory()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM books WHERE id = %s", [review.book_id])
    assert not Review.objects.exists()


def test_bulk_create_applies_one_update_per_book():
    book = BookFactory()
    users = UserFactory.create_batch(50)
    Review.objects.bulk_create([Review(user=u, book=book, rating=(i % 5) + 1) for i, u in enumerate(users)])
    assert stars(book) == [10, 10, 10, 10, 10]
    assert Book.objects.get(pk=book.pk).average_rating == Decimal("3.00")


def test_truncate_resets_aggregates():
    review = ReviewFactory(rating=3)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test transaction holds deferred FK checks
        cursor.execute("TRUNCATE reviews")
    assert stars(review.book) == [0, 0, 0, 0, 0]


def test_review_text_length_is_checked_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=ReviewFactory().pk).update(review_text="x" * 10_001)


def test_a_review_is_named_by_its_reader_and_book_not_their_ids():
    review = ReviewFactory(rating=3, book=BookFactory(title="Dune"))
    assert str(review) == f"3★ by {review.user.email} on “Dune”"
