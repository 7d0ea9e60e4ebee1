import factory

from catalog.models import Book, Genre


class GenreFactory(factory.django.DjangoModelFactory[Genre]):
    class Meta:
        model = Genre

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.Sequence(lambda n: f"genre-{n}")


class BookFactory(factory.django.DjangoModelFactory[Book]):
    class Meta:
        model = Book
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Book number {n}")
    author = factory.Faker("name")
    publication_year = 2000

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if create and extracted:
            self.genres.set(extracted)
