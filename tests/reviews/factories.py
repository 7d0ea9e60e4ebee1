import factory

from reviews.models import Review
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory


class ReviewFactory(factory.django.DjangoModelFactory[Review]):
    class Meta:
        model = Review

    user = factory.SubFactory(UserFactory)
    book = factory.SubFactory(BookFactory)
    rating = 4
    review_text = "Worth reading."
