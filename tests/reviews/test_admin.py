import pytest

from reviews.models import Review
from tests.reviews.factories import ReviewFactory
from tests.reviews.helpers import stars

pytestmark = pytest.mark.django_db


def test_review_changelist_searches_and_filters(admin_client):
    review = ReviewFactory(rating=5)
    for params in [{}, {"q": review.book.title}, {"q": review.user.email}, {"rating__exact": "5"}]:
        response = admin_client.get("/admin/reviews/review/", params)
        assert response.status_code == 200
        assert review.book.title.encode() in response.content


def test_review_change_page_uses_autocomplete(admin_client):
    review = ReviewFactory()
    page = admin_client.get(f"/admin/reviews/review/{review.pk}/change/")
    assert page.status_code == 200
    assert b"admin-autocomplete" in page.content


def test_admin_delete_updates_aggregates(admin_client):
    review = ReviewFactory(rating=1)
    response = admin_client.post(f"/admin/reviews/review/{review.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Review.objects.exists()
    assert stars(review.book) == [0, 0, 0, 0, 0]


def test_admin_bulk_delete_action_updates_aggregates(admin_client):
    reviews = [ReviewFactory(rating=3) for _ in range(3)]
    admin_client.post(
        "/admin/reviews/review/",
        {"action": "delete_selected", "_selected_action": [r.pk for r in reviews], "post": "yes"},
    )
    assert not Review.objects.exists()
    assert all(stars(r.book) == [0, 0, 0, 0, 0] for r in reviews)
