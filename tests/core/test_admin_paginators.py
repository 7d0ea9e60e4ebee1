import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.admin_paginators import EstimatedCountPaginator
from reviews.models import Review
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


class EstimateAlways(EstimatedCountPaginator):
    estimate_above = 0


def test_unfiltered_big_tables_use_the_planner_estimate_instead_of_count():
    for _ in range(4):
        ReviewFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews")
    with CaptureQueriesContext(connection) as queries:
        count = EstimateAlways(Review.objects.all(), 2).count
    assert count == 4
    assert not any("COUNT(" in q["sql"].upper() for q in queries)


def test_filtered_lists_count_exactly():
    for rating in (1, 5, 5):
        ReviewFactory(rating=rating)
    with CaptureQueriesContext(connection) as queries:
        count = EstimateAlways(Review.objects.filter(rating=5), 2).count
    assert count == 2
    assert any("COUNT(" in q["sql"].upper() for q in queries)
