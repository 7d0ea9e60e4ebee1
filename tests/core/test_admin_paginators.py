import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from catalog.models import Book
from core.admin_paginators import EstimatedCountPaginator
from reviews.models import Review
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


class EstimateAlways(EstimatedCountPaginator):
    estimate_above = 0


def _analyzed_then_two_more() -> None:
    """Four reviews in the planner's statistics, six in the table."""
    for _ in range(4):
        ReviewFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews")
    for _ in range(2):
        ReviewFactory()


def test_unfiltered_big_tables_use_the_planner_estimate_in_one_statement():
    _analyzed_then_two_more()
    with CaptureQueriesContext(connection) as queries:
        count = EstimateAlways(Review.objects.all(), 2).count
    assert count == 4
    assert len(queries) == 1


def test_unfiltered_small_tables_count_exactly_in_the_same_statement():
    _analyzed_then_two_more()
    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(Review.objects.select_related("book").order_by("-rating"), 2).count
    assert count == 6
    assert len(queries) == 1


def test_a_list_joined_to_children_counts_what_it_holds():
    review = ReviewFactory()
    ReviewFactory(book=review.book)
    books = Book.objects.annotate(rating=F("reviews__rating"))  # one row a review
    assert EstimatedCountPaginator(books, 2).count == books.count() == 2


def test_filtered_lists_count_exactly():
    for rating in (1, 5, 5):
        ReviewFactory(rating=rating)
    with CaptureQueriesContext(connection) as queries:
        count = EstimateAlways(Review.objects.filter(rating=5), 2).count
    assert count == 2
    assert any("COUNT(" in q["sql"].upper() for q in queries)
