import random

import pytest
from rest_framework.test import APIClient

from reviews import services
from reviews.models import Review
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory
from tests.reviews.helpers import assert_aggregates_exact, stars
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_32_concurrent_reviews_with_edits_and_deletes_keep_aggregates_exact():
    book = BookFactory()
    readers = UserFactory.create_batch(32)
    existing = [services.review_create(user=u, book=book, rating=3) for u in UserFactory.create_batch(8)]
    rng = random.Random(7)

    def create(user):
        return lambda: services.review_create(user=user, book=book, rating=rng.randint(1, 5))

    def edit(review):
        return lambda: services.review_update(review=review, rating=rng.randint(1, 5))

    work = [create(u) for u in readers] + [edit(r) for r in existing[:4]]
    work += [lambda r=r: services.review_delete(review=r) for r in existing[4:]]
    results = run_concurrently(work)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Review.objects.filter(book=book).count() == 32 + 4
    assert sum(stars(book)) == 36
    assert_aggregates_exact()


def test_16_concurrent_posts_by_one_reader_give_one_201_and_fifteen_409():
    book = BookFactory()
    reader = UserFactory()

    def post():
        client = APIClient()
        client.force_authenticate(reader)
        return client.post(f"/api/v1/books/{book.pk}/reviews/", {"rating": 4}, format="json").status_code

    statuses = run_concurrently([post] * 16)
    assert sorted(statuses) == [201] + [409] * 15
    assert Review.objects.filter(book=book).count() == 1
    assert stars(book) == [0, 0, 0, 1, 0]
