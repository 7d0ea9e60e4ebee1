import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from favorites import selectors, services
from favorites.models import UserFavorite
from favorites.values import Favorite
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory
from tests.threads import run_concurrently

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


def test_favorite_ids_among_answers_for_a_set_in_one_query(django_assert_num_queries):
    user = UserFactory()
    books = BookFactory.create_batch(5)
    for book in books[:2]:
        services.favorite_add(user=user, book=book)
    services.favorite_add(user=UserFactory(), book=books[3])
    with django_assert_num_queries(1):
        found = selectors.favorite_ids_among(user=user, book_ids=[b.pk for b in books])
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


def test_favorite_add_returns_the_favorite_and_a_repeat_returns_the_same_one():
    user, book = UserFactory(), BookFactory()
    first = services.favorite_add(user=user, book=book)
    assert (first.user_id, first.book_id) == (user.pk, book.pk) and first.created_at is not None
    assert services.favorite_add(user=user, book=book) == first
    assert UserFavorite.objects.get(user=user, book=book).created_at == first.created_at


def test_a_favorite_value_is_immutable():
    favorite = services.favorite_add(user=UserFactory(), book=BookFactory())
    with pytest.raises(dataclasses.FrozenInstanceError):
        favorite.book_id = None  # type: ignore[misc]


def test_favorite_is_and_the_ids_newest_first():
    user, other = UserFactory(), UserFactory()
    books = BookFactory.create_batch(3)
    for book in books:
        services.favorite_add(user=user, book=book)
    services.favorite_add(user=other, book=books[0])
    UserFavorite.objects.filter(user=user, book=books[1]).update(
        created_at=timezone.now() + timedelta(days=1)
    )
    assert selectors.favorite_ids_for_user(user=user)[0] == books[1].pk
    assert set(selectors.favorite_ids_for_user(user=user)) == {book.pk for book in books}
    assert selectors.favorite_ids_for_user(user=user, limit=1) == [books[1].pk]
    assert selectors.favorite_is(user=user, book_id=books[2].pk)
    services.favorite_remove(user=user, book_id=books[2].pk)
    assert not selectors.favorite_is(user=user, book_id=books[2].pk)
    assert selectors.favorite_ids_among(user=other, book_ids=[b.pk for b in books]) == {books[0].pk}
    assert selectors.favorite_ids_among(user=other, book_ids=[]) == set()


@pytest.mark.django_db(transaction=True)
def test_racing_adds_all_return_the_one_favorite():
    user, book = UserFactory(), BookFactory()
    results = run_concurrently([lambda: services.favorite_add(user=user, book=book)] * 8)
    assert all(isinstance(result, Favorite) for result in results), results
    assert len(set(results)) == 1
    assert UserFavorite.objects.filter(user=user, book=book).count() == 1
