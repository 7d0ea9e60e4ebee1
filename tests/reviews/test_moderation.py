"""Staff hide reviews with a reason: they leave public lists and the book's aggregates (kept exact by the
triggers, whatever path writes), come back exactly when unhidden, and stay visible to their author."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from reviews import services
from reviews.models import Review
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory
from tests.clients import client_for
from tests.reviews.factories import ReviewFactory
from tests.reviews.helpers import assert_aggregates_exact, stars

pytestmark = pytest.mark.django_db


def test_hiding_leaves_the_aggregates_and_unhiding_restores_them_exactly():
    book = BookFactory()
    moderator = UserFactory(is_staff=True)
    kept = ReviewFactory(book=book, rating=5)
    spam = ReviewFactory(book=book, rating=1)
    ReviewFactory(book=book, rating=1)
    assert stars(book) == [2, 0, 0, 0, 1]

    assert services.reviews_hide(reviews=Review.objects.filter(pk=spam.pk), by=moderator, reason="Spam") == 1
    assert stars(book) == [1, 0, 0, 0, 1]
    book.refresh_from_db()
    assert (book.total_reviews, float(book.average_rating)) == (2, 3.0)
    spam.refresh_from_db()
    assert (spam.hidden_reason, spam.hidden_by_id) == ("Spam", moderator.pk)

    # Hiding again keeps the first reason and changes nothing; editing a hidden review's stars does not
    # touch the aggregates either.
    assert services.reviews_hide(reviews=Review.objects.filter(pk=spam.pk), by=moderator, reason="x") == 0
    services.review_update(review=spam, rating=4)
    assert stars(book) == [1, 0, 0, 0, 1]

    assert services.reviews_unhide(reviews=Review.objects.filter(pk__in=[spam.pk, kept.pk])) == 1
    assert stars(book) == [1, 0, 0, 1, 1]  # back, with the stars it now has
    assert_aggregates_exact()


def test_deleting_a_hidden_review_leaves_the_aggregates_alone():
    book = BookFactory()
    review = ReviewFactory(book=book, rating=2)
    services.reviews_hide(reviews=Review.objects.filter(pk=review.pk), by=UserFactory(), reason="Abuse")
    services.review_delete(review=review)
    assert stars(book) == [0, 0, 0, 0, 0]
    assert_aggregates_exact()


def test_raw_sql_hides_and_unhides_with_exact_aggregates():
    books = BookFactory.create_batch(3)
    for book in books:
        ReviewFactory.create_batch(2, book=book, rating=3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reviews SET hidden_at = now(), hidden_reason = 'bulk' WHERE rating = 3")
    assert [stars(book) for book in books] == [[0, 0, 0, 0, 0]] * 3
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reviews (user_id, book_id, rating, hidden_at, hidden_reason) "
            "VALUES (%s, %s, 5, now(), 'imported hidden')",
            [UserFactory().pk, books[0].pk],
        )
    assert stars(books[0]) == [0, 0, 0, 0, 0]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reviews SET hidden_at = NULL, hidden_reason = ''")
    assert [stars(book) for book in books] == [[0, 0, 2, 0, 1], [0, 0, 2, 0, 0], [0, 0, 2, 0, 0]]
    assert_aggregates_exact()


@pytest.mark.parametrize(
    "hidden_at, reason",
    [("now()", "''"), ("NULL", "'a reason without a hiding'"), ("now()", "repeat('x', 501)")],
    ids=["hidden-without-reason", "reason-without-hiding", "reason-too-long"],
)
def test_the_database_refuses_inconsistent_moderation(hidden_at, reason):
    review = ReviewFactory()
    with pytest.raises((IntegrityError, DataError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE reviews SET hidden_at = {hidden_at}, hidden_reason = {reason} WHERE id = %s", [review.pk]
        )


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_the_service_names_a_bad_reason(reason):
    review = ReviewFactory()
    with pytest.raises(ValidationError) as caught:
        services.reviews_hide(reviews=Review.objects.filter(pk=review.pk), by=UserFactory(), reason=reason)
    assert "hidden_reason" in caught.value.message_dict


def test_hidden_reviews_leave_public_lists_and_their_author_sees_them_marked():
    book = BookFactory()
    author = UserFactory()
    hidden = ReviewFactory(book=book, user=author, rating=1)
    visible = ReviewFactory(book=book, rating=5)
    services.reviews_hide(reviews=Review.objects.filter(pk=hidden.pk), by=UserFactory(), reason="Off-topic")
    url = f"/api/v1/books/{book.pk}/reviews/"

    for stranger in (None, UserFactory(), UserFactory(is_staff=True)):
        listed = client_for(stranger).get(url).json()["results"]
        assert [review["id"] for review in listed] == [str(visible.pk)]
        assert client_for(stranger).get(f"/api/v1/reviews/{hidden.pk}/").status_code == 404

    own = client_for(author).get(url).json()["results"]
    assert [(r["id"], r["hidden"], r["hidden_reason"]) for r in own] == [  # newest first
        (str(visible.pk), False, ""),
        (str(hidden.pk), True, "Off-topic"),
    ]
    mine = client_for(author).get("/api/v1/me/reviews/").json()["results"]
    assert [(r["id"], r["hidden"], r["hidden_reason"]) for r in mine] == [(str(hidden.pk), True, "Off-topic")]
    detail = client_for(author).get(f"/api/v1/reviews/{hidden.pk}/").json()
    assert (detail["hidden"], detail["hidden_reason"]) == (True, "Off-topic")

    # The author may still edit it; it stays hidden and out of the aggregates.
    response = client_for(author).patch(f"/api/v1/reviews/{hidden.pk}/", {"rating": 2}, format="json")
    assert response.status_code == 200
    assert response.json()["hidden"] is True
    assert stars(book) == [0, 0, 0, 0, 1]


def test_staff_may_still_delete_a_hidden_review_through_the_api():
    review = ReviewFactory()
    services.reviews_hide(reviews=Review.objects.filter(pk=review.pk), by=UserFactory(), reason="Spam")
    response = client_for(UserFactory(is_staff=True)).delete(f"/api/v1/reviews/{review.pk}/")
    assert response.status_code == 204
    assert not Review.objects.filter(pk=review.pk).exists()


def test_admin_hides_one_review_from_its_page_and_refuses_a_missing_or_long_reason(admin_client):
    review = ReviewFactory(rating=3)
    url = f"/admin/reviews/review/{review.pk}/change/"
    form = {
        "user": review.user_id,
        "book": review.book_id,
        "rating": 3,
        "review_text": review.review_text,
        "hide": "on",
        "reason": "",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "Say why the review is hidden." in response.content.decode()

    response = admin_client.post(url, {**form, "reason": "x" * 501})
    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()

    response = admin_client.post(url, {**form, "reason": "Spoils the ending"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.is_hidden, review.hidden_reason) == (True, "Spoils the ending")
    assert stars(review.book) == [0, 0, 0, 0, 0]

    response = admin_client.post(url, {**form, "hide": "", "reason": ""})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.is_hidden, review.hidden_reason) == (False, "")
    assert stars(review.book) == [0, 0, 1, 0, 0]


def test_admin_bulk_action_asks_for_a_reason_then_hides_and_unhides(admin_client):
    reviews = ReviewFactory.create_batch(3, rating=4)
    chosen = [str(review.pk) for review in reviews[:2]]
    base = {"action": "hide_reviews", "_selected_action": chosen}

    response = admin_client.post("/admin/reviews/review/", {**base, "index": 0})
    assert response.status_code == 200
    assert "Hide these reviews" in response.content.decode()  # the page asking for the reason

    response = admin_client.post("/admin/reviews/review/", {**base, "select_across": "0", "apply": "1"})
    assert response.status_code == 200
    assert "Say why these reviews are hidden." in response.content.decode()
    assert not Review.objects.filter(hidden_at__isnull=False).exists()

    response = admin_client.post(
        "/admin/reviews/review/", {**base, "select_across": "0", "apply": "1", "reason": "Spam ring"}
    )
    assert response.status_code == 302
    assert sorted(
        map(str, Review.objects.filter(hidden_reason="Spam ring").values_list("pk", flat=True))
    ) == (sorted(chosen))
    listed = admin_client.get("/admin/reviews/review/", {"hidden": "yes"}).content.decode()
    assert listed.count('title="Spam ring">hidden</strong>') == 2

    response = admin_client.post(
        "/admin/reviews/review/", {"action": "unhide_reviews", "_selected_action": chosen, "index": 0}
    )
    assert response.status_code == 302
    assert not Review.objects.filter(hidden_at__isnull=False).exists()
    assert_aggregates_exact()
