import pytest

from core.errors import ConflictError
from reviews import services
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory
from tests.reviews.factories import ReviewFactory
from tests.reviews.helpers import stars

pytestmark = pytest.mark.django_db


def test_review_create_updates_the_book():
    book = BookFactory()
    services.review_create(user=UserFactory(), book=book, rating=5)
    assert stars(book) == [0, 0, 0, 0, 1]


def test_second_review_raises_conflict_and_changes_nothing():
    review = ReviewFactory(rating=2)
    with pytest.raises(ConflictError, match="already reviewed"):
        services.review_create(user=review.user, book=review.book, rating=5)
    assert stars(review.book) == [0, 1, 0, 0, 0]


def test_recompute_detects_and_repairs_a_corrupted_book():
    review = ReviewFactory(rating=4)
    type(review.book).objects.filter(pk=review.book_id).update(rating_1_count=7)
    drift = services.ratings_recompute(check_only=True)
    assert [row["book_id"] for row in drift] == [review.book_id]
    assert stars(review.book) == [7, 0, 0, 1, 0]
    services.ratings_recompute()
    assert stars(review.book) == [0, 0, 0, 1, 0]
    assert services.ratings_recompute(check_only=True) == []
