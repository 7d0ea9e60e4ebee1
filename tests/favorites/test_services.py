import pytest

from favorites import selectors, services
from favorites.models import UserFavorite
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory

pytestmark = pytest.mark.django_db


def test_favorite_add_twice_keeps_one_row():
    user, book = UserFactory(), BookFactory()
    services.favorite_add(user=user, book=book)
    services.favorite_add(user=user, book=book)
    assert UserFavorite.objects.count() == 1
    assert UserFavorite.objects.filter(user=user, book=book).exists()


def test_favorite_remove_is_idempotent():
    user, book = UserFactory(), BookFactory()
    services.favorite_remove(user=user, book_id=book.pk)
    services.favorite_add(user=user, book=book)
    services.favorite_remove(user=user, book_id=book.pk)
    services.favorite_remove(user=user, book_id=book.pk)
    assert not UserFavorite.objects.filter(user=user, book=book).exists()


def test_favorite_book_ids_answers_for_a_set_in_one_query(django_assert_num_queries):
    user = UserFactory()
    books = BookFactory.create_batch(5)
    for book in books[:2]:
        services.favorite_add(user=user, book=book)
    services.favorite_add(user=UserFactory(), book=books[3])
    with django_assert_num_queries(1):
        found = selectors.favorite_book_ids(user=user, book_ids=[b.pk for b in books])
    assert found == {books[0].pk, books[1].pk}


def test_favorite_books_lists_newest_first():
    user = UserFactory()
    first, second = BookFactory(), BookFactory()
    services.favorite_add(user=user, book=first)
    services.favorite_add(user=user, book=second)
    from catalog.models import Book

    listed = list(selectors.favorite_books(user=user, books=Book.objects.all()))
    assert listed == [second, first]
    assert listed[0].favorited_at >= listed[1].favorited_at


def test_is_favorite_is_annotated_inside_the_same_query(django_assert_num_queries):
    from catalog.models import Book

    user = UserFactory()
    books = BookFactory.create_batch(3)
    services.favorite_add(user=user, book=books[1])
    with django_assert_num_queries(1):
        flags = dict(
            selectors.annotate_is_favorite(Book.objects.all(), user_id=user.pk).values_list(
                "pk", "is_favorite"
            )
        )
    assert flags == {books[0].pk: False, books[1].pk: True, books[2].pk: False}
    anonymous = selectors.annotate_is_favorite(Book.objects.all(), user_id=None).values_list(
        "is_favorite", flat=True
    )
    assert set(anonymous) == {None}
