import pytest
from django.db import connection

import reviews.selectors
from reviews.models import Review
from tests.reviews.factories import ReviewFactory
from tests.reviews.helpers import stars

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("max_ids", [500, 0], ids=["narrow-term", "broad-term"])
def test_review_changelist_searches_by_title_and_email_and_filters(admin_client, monkeypatch, max_ids):
    monkeypatch.setattr(reviews.selectors, "SEARCH_MAX_IDS", max_ids)
    wanted = ReviewFactory(rating=5, book__title="Wanted Book")
    other = ReviewFactory(rating=2, book__title="Other Tale")

    def listed(params) -> set[str]:
        response = admin_client.get("/admin/reviews/review/", params)
        assert response.status_code == 200
        return {title for title in ("Wanted Book", "Other Tale") if title.encode() in response.content}

    assert listed({}) == {"Wanted Book", "Other Tale"}
    assert listed({"q": "wanted"}) == {"Wanted Book"}
    assert listed({"q": wanted.user.email.upper()}) == {"Wanted Book"}
    assert listed({"q": other.user.email}) == {"Other Tale"}
    assert listed({"rating__exact": "5"}) == {"Wanted Book"}


def test_newest_first_list_and_date_filter_read_an_index():
    ReviewFactory.create_batch(3)
    queryset = Review.objects.order_by("-created_at", "-id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {queryset[:100].query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "reviews_newest_idx" in plan, plan


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
