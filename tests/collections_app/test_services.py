import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collections_app import services
from collections_app.models import CollectionBook, CollectionGroup, GroupBook
from tests.catalog.factories import BookFactory
from tests.collections_app.factories import CollectionFactory
from tests.collections_app.helpers import assert_invariants
from tests.threads import run_concurrently


def _names(collection) -> list[str]:
    return list(
        CollectionGroup.objects.filter(collection=collection)
        .order_by("position")
        .values_list("name", flat=True)
    )


def _group_books(group) -> list:
    return list(GroupBook.objects.filter(group=group).order_by("position").values_list("book_id", flat=True))


@pytest.mark.django_db
def test_group_create_at_a_position_shifts_the_others():
    collection = CollectionFactory()
    for name in "ABC":
        services.group_create(collection=collection, name=name)
    services.group_create(collection=collection, name="X", position=1)
    services.group_create(collection=collection, name="Y", position=99)  # past the end: appended
    assert _names(collection) == ["A", "X", "B", "C", "Y"]
    assert_invariants(collection)


@pytest.mark.django_db
def test_group_move_and_delete_keep_positions_dense():
    collection = CollectionFactory()
    groups = [services.group_create(collection=collection, name=name) for name in "ABCD"]
    services.group_update(group=groups[3], position=0)
    assert _names(collection) == ["D", "A", "B", "C"]
    services.group_update(group=groups[3], position=10)
    assert _names(collection) == ["A", "B", "C", "D"]
    services.group_delete(group=groups[1])
    assert _names(collection) == ["A", "C", "D"]
    assert_invariants(collection)


@pytest.mark.django_db
def test_duplicate_group_name_is_a_validation_error():
    collection = CollectionFactory()
    services.group_create(collection=collection, name="Favourites")
    with pytest.raises(ValidationError) as info:
        services.group_create(collection=collection, name="Favourites")
    assert "name" in info.value.message_dict


@pytest.mark.django_db
def test_group_put_book_adds_it_to_the_collection_and_orders_it():
    collection = CollectionFactory()
    group = services.group_create(collection=collection, name="A")
    a, b, c = BookFactory.create_batch(3)
    services.group_put_book(group=group, book=a)
    services.group_put_book(group=group, book=b)
    services.group_put_book(group=group, book=c, position=0)
    assert _group_books(group) == [c.pk, a.pk, b.pk]
    services.group_put_book(group=group, book=c, position=2)  # moves
    assert _group_books(group) == [a.pk, b.pk, c.pk]
    services.group_put_book(group=group, book=a)  # already there, no position: stays
    assert _group_books(group) == [a.pk, b.pk, c.pk]
    assert CollectionBook.objects.filter(collection=collection).count() == 3
    assert_invariants(collection)


@pytest.mark.django_db
def test_removing_a_book_from_the_collection_removes_it_from_groups_and_closes_gaps():
    collection = CollectionFactory()
    first, second = (services.group_create(collection=collection, name=n) for n in "AB")
    a, b, c = BookFactory.create_batch(3)
    for group in (first, second):
        for book in (a, b, c):
            services.group_put_book(group=group, book=book)
    services.collection_remove_book(collection=collection, book_id=b.pk)
    assert _group_books(first) == [a.pk, c.pk]
    assert _group_books(second) == [a.pk, c.pk]
    services.collection_remove_book(collection=collection, book_id=b.pk)  # idempotent
    assert_invariants(collection)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "add_group",
                "move_group",
                "delete_group",
                "put_book",
                "remove_from_group",
                "remove_from_collection",
            ]
        ),
        st.integers(min_value=0, max_value=6),
        st.integers(min_value=0, max_value=6),
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_invariants_hold_after_any_sequence_of_operations(operations):
    collection = CollectionFactory()
    books = BookFactory.create_batch(4)
    for step, (operation, x, y) in enumerate(operations):
        groups = list(CollectionGroup.objects.filter(collection=collection).order_by("position"))
        group = groups[x % len(groups)] if groups else None
        book = books[y % len(books)]
        if operation == "add_group":
            services.group_create(collection=collection, name=f"G{step}", position=y)
        elif group is None:
            continue
        elif operation == "move_group":
            services.group_update(group=group, position=y)
        elif operation == "delete_group":
            services.group_delete(group=group)
        elif operation == "put_book":
            services.group_put_book(group=group, book=book, position=x if x % 2 else None)
        elif operation == "remove_from_group":
            services.group_remove_book(group=group, book_id=book.pk)
        else:
            services.collection_remove_book(collection=collection, book_id=book.pk)
        assert_invariants(collection)


@pytest.mark.django_db(transaction=True)
def test_16_concurrent_moves_leave_positions_dense_without_ties():
    collection = CollectionFactory()
    groups = [services.group_create(collection=collection, name=f"G{i}") for i in range(8)]
    group = services.group_create(collection=collection, name="Books")
    books = BookFactory.create_batch(8)
    for book in books:
        services.group_put_book(group=group, book=book)

    def move(index: int):
        if index % 2:
            return services.group_update(group=groups[index % 8], position=(index * 5) % 9)
        return services.group_put_book(group=group, book=books[index % 8], position=(index * 3) % 8)

    results = run_concurrently([lambda i=i: move(i) for i in range(16)])
    assert not [r for r in results if isinstance(r, Exception)]
    assert_invariants(collection)
    assert CollectionGroup.objects.filter(collection=collection).count() == 9
    assert GroupBook.objects.filter(group=group).count() == 8


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.permutations(range(6)), after=st.lists(st.integers(0, 7), unique=True, max_size=8))
def test_group_set_books_holds_exactly_the_books_given_in_their_order(before, after):
    collection = CollectionFactory()
    books = BookFactory.create_batch(8)
    group = services.group_create(collection=collection, name="G")
    services.group_set_books(group=group, books=[books[i] for i in before])
    assert _group_books(group) == [books[i].pk for i in before]
    services.group_set_books(group=group, books=[books[i] for i in after])
    assert _group_books(group) == [books[i].pk for i in after]
    assert_invariants(collection)


@pytest.mark.django_db
def test_group_reorder_puts_the_groups_in_the_order_given_and_the_rest_after():
    collection = CollectionFactory()
    groups = {name: services.group_create(collection=collection, name=name) for name in "ABCD"}
    services.group_reorder(collection=collection, groups=[groups["C"], groups["A"]])
    assert _names(collection) == ["C", "A", "B", "D"]
    other = services.group_create(collection=CollectionFactory(), name="elsewhere")
    services.group_reorder(collection=collection, groups=[other, groups["D"]])  # a stranger is ignored
    assert _names(collection) == ["D", "C", "A", "B"]
    assert_invariants(collection)


@pytest.mark.django_db(transaction=True)
def test_concurrent_reorders_and_book_lists_leave_dense_positions():
    collection = CollectionFactory()
    books = BookFactory.create_batch(6)
    groups = [services.group_create(collection=collection, name=name) for name in "ABC"]

    def rearrange(index: int) -> None:
        services.group_reorder(collection=collection, groups=groups[index % 3 :] + groups[: index % 3])
        services.group_set_books(group=groups[index % 3], books=books[index % 4 :])

    results = run_concurrently([lambda index=index: rearrange(index) for index in range(8)])
    assert not [result for result in results if isinstance(result, Exception)], results
    assert_invariants(collection)
