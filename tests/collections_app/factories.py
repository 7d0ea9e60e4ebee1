import factory

from collections_app.models import Collection, Visibility
from tests.accounts.factories import UserFactory


class CollectionFactory(factory.django.DjangoModelFactory[Collection]):
    class Meta:
        model = Collection

    name = factory.Sequence(lambda n: f"Collection {n}")
    created_by = factory.SubFactory(UserFactory)
    visibility = Visibility.PRIVATE
