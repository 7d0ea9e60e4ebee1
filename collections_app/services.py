"""Every write to collections. Each service that touches positions or memberships first locks the
collection row (``SELECT … FOR UPDATE``), so concurrent moves in one collection run one after another and
positions stay 0..n-1 without ties; deferred unique constraints on positions are the database backstop."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, QuerySet, Value, When

from accounts.models import User
from catalog.models import Book
from collections_app.models import Collection, CollectionBook, CollectionGroup, GroupBook, Visibility
from core.services import UNSET, given, insert_or_conflict, model_update

COLLECTION_FIELDS = frozenset({"name", "description", "visibility"})


def _lock(collection_id) -> None:
    """Lock the collection row; every position or membership change in it waits for this."""
    list(Collection.objects.select_for_update().filter(pk=collection_id).values_list("pk", flat=True))


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "A name is required."})
    return name


# --- collections -------------------------------------------------------------------------------------


def collection_create(
    *, owner: User | None, name: str, description: str = "", visibility: str = Visibility.PRIVATE
) -> Collection:
    collection = Collection(
        created_by=owner, name=_clean_name(name), description=description, visibility=visibility
    )
    collection.full_clean()
    collection.save()
    return collection


def collection_update(
    *, collection: Collection, name: str = UNSET, description: str = UNSET, visibility: str = UNSET
) -> Collection:
    fields = given(locals(), COLLECTION_FIELDS)
    if "name" in fields:
        fields["name"] = _clean_name(fields["name"])
    return model_update(instance=collection, fields=COLLECTION_FIELDS, data=fields)


def collection_delete(*, collection: Collection) -> None:
    collection.delete()


@transaction.atomic
def collection_add_book(*, collection: Collection, book: Book) -> None:
    """Idempotent (``ON CONFLICT DO NOTHING``)."""
    _lock(collection.pk)
    CollectionBook.objects.bulk_create(
        [CollectionBook(collection=collection, book=book)], ignore_conflicts=True
    )


@transaction.atomic
def collection_remove_book(*, collection: Collection, book_id) -> None:
    """Idempotent. Also removes the book from the collection's groups, closing the gaps it leaves."""
    _lock(collection.pk)
    for entry in GroupBook.objects.filter(collection=collection, book_id=book_id):
        _group_remove_entry(entry)
    CollectionBook.objects.filter(collection=collection, book_id=book_id).delete()


@transaction.atomic
def collection_set_books(*, collection: Collection, books: list[Book]) -> None:
    """Make the collection hold exactly ``books`` (the admin's multi-select)."""
    _lock(collection.pk)
    wanted = {book.pk for book in books}
    current = set(CollectionBook.objects.filter(collection=collection).values_list("book_id", flat=True))
    for book_id in current - wanted:
        collection_remove_book(collection=collection, book_id=book_id)
    CollectionBook.objects.bulk_create(
        [CollectionBook(collection=collection, book_id=book_id) for book_id in wanted - current],
        ignore_conflicts=True,
    )


# --- groups -----------------------------------------------------------------------------------------------


def _group_name_taken(collection_id, name: str, exclude_pk=None) -> bool:
    return (
        CollectionGroup.objects.filter(collection_id=collection_id, name=name).exclude(pk=exclude_pk).exists()
    )


@transaction.atomic
def group_create(
    *, collection: Collection, name: str, description: str = "", position: int | None = None
) -> CollectionGroup:
    """Insert at ``position`` (default and past-the-end: at the end), shifting later groups down."""
    _lock(collection.pk)
    name = _clean_name(name)
    if _group_name_taken(collection.pk, name):
        raise ValidationError({"name": "This collection already has a group with that name."})
    count = CollectionGroup.objects.filter(collection=collection).count()
    position = count if position is None else min(position, count)
    CollectionGroup.objects.filter(collection=collection, position__gte=position).update(
        position=F("position") + 1
    )
    group = CollectionGroup(collection=collection, name=name, description=description, position=position)
    group.full_clean(validate_constraints=False, validate_unique=False)
    insert_or_conflict(
        lambda: group.save(force_insert=True),
        conflict=ValidationError({"name": "This collection already has a group with that name."}),
    )
    return group


@transaction.atomic
def group_update(
    *,
    group: CollectionGroup,
    name: str | None = None,
    description: str | None = None,
    position: int | None = None,
) -> CollectionGroup:
    _lock(group.collection_id)
    group = CollectionGroup.objects.get(pk=group.pk)  # fresh position, now that the collection is locked
    if name is not None:
        name = _clean_name(name)
        if _group_name_taken(group.collection_id, name, exclude_pk=group.pk):
            raise ValidationError({"name": "This collection already has a group with that name."})
        group.name = name
    if description is not None:
        group.description = description
    group.full_clean(validate_constraints=False, validate_unique=False)
    group.save(update_fields=["name", "description", "updated_at"])
    if position is not None:
        _group_move(group, position)
    return group


def _shift_for_move(siblings: QuerySet, old: int, position: int) -> int:
    """Make room at ``position`` (clamped to the last place) for the row now at ``old`` by shifting the
    siblings in between; returns the clamped position for the caller to give the moved row.
    Caller holds the collection lock."""
    position = min(position, siblings.count() - 1)
    if position < old:
        siblings.filter(position__gte=position, position__lt=old).update(position=F("position") + 1)
    elif position > old:
        siblings.filter(position__gt=old, position__lte=position).update(position=F("position") - 1)
    return position


def _group_move(group: CollectionGroup, position: int) -> None:
    """Caller holds the collection lock."""
    position = _shift_for_move(
        CollectionGroup.objects.filter(collection_id=group.collection_id), group.position, position
    )
    if position != group.position:
        CollectionGroup.objects.filter(pk=group.pk).update(position=position)
        group.position = position


@transaction.atomic
def group_delete(*, group: CollectionGroup) -> None:
    _lock(group.collection_id)
    CollectionGroup.objects.filter(pk=group.pk).delete()  # the database closes the gap (migration 0004)


# --- books in groups --------------------------------------------------------------------------------------


@transaction.atomic
def group_put_book(*, group: CollectionGroup, book: Book, position: int | None = None) -> GroupBook:
    """Put ``book`` in ``group`` at ``position`` (default: the end; past the end: the end). Adds the book to
    the collection if needed. Idempotent: a book already in the group stays put unless a position is given."""
    _lock(group.collection_id)
    CollectionBook.objects.bulk_create(
        [CollectionBook(collection_id=group.collection_id, book=book)], ignore_conflicts=True
    )
    entries = GroupBook.objects.filter(group=group)
    existing = entries.filter(book=book).first()
    if existing is not None:
        if position is not None:
            _group_book_move(existing, position)
        return existing
    count = entries.count()
    position = count if position is None else min(position, count)
    entries.filter(position__gte=position).update(position=F("position") + 1)
    return GroupBook.objects.create(
        group=group, book=book, collection_id=group.collection_id, position=position
    )


def _group_book_move(entry: GroupBook, position: int) -> None:
    """Caller holds the collection lock."""
    entries = GroupBook.objects.filter(group_id=entry.group_id)
    position = _shift_for_move(entries, entry.position, position)
    if position != entry.position:
        entries.filter(book_id=entry.book_id).update(position=position)
        entry.position = position


def _group_remove_entry(entry: GroupBook) -> None:
    """Caller holds the collection lock. The database closes the gap (migration 0004)."""
    GroupBook.objects.filter(group_id=entry.group_id, book_id=entry.book_id).delete()


@transaction.atomic
def group_remove_book(*, group: CollectionGroup, book_id) -> None:
    """Idempotent; the book stays in the collection."""
    _lock(group.collection_id)
    entry = GroupBook.objects.filter(group=group, book_id=book_id).first()
    if entry is not None:
        _group_remove_entry(entry)


def _positions_in_order(key: str, keys: list) -> Case:
    """Each row's new position: the index of its ``key`` in ``keys``, in one UPDATE."""
    return Case(*(When(**{key: value}, then=Value(index)) for index, value in enumerate(keys)))


@transaction.atomic
def group_set_books(*, group: CollectionGroup, books: list[Book]) -> None:
    """Make the group hold exactly ``books``, in that order (new ones also join the collection)."""
    _lock(group.collection_id)
    wanted = list({book.pk: book for book in books})
    entries = GroupBook.objects.filter(group=group)
    entries.exclude(book_id__in=wanted).delete()
    CollectionBook.objects.bulk_create(
        [CollectionBook(collection_id=group.collection_id, book_id=pk) for pk in wanted],
        ignore_conflicts=True,
    )
    present = set(entries.values_list("book_id", flat=True))
    # The (group, position) uniqueness is checked at commit, so rows may share a position in between.
    GroupBook.objects.bulk_create(
        [
            GroupBook(group=group, book_id=pk, collection_id=group.collection_id, position=index)
            for index, pk in enumerate(wanted)
            if pk not in present
        ]
    )
    if wanted:
        entries.update(position=_positions_in_order("book_id", wanted))


@transaction.atomic
def group_reorder(*, collection: Collection, groups: list[CollectionGroup]) -> None:
    """Put the collection's groups in the order of ``groups``; any it leaves out follow, in their order."""
    _lock(collection.pk)
    siblings = CollectionGroup.objects.filter(collection=collection)
    current = list(siblings.order_by("position").values_list("pk", flat=True))
    known = set(current)
    order = list(dict.fromkeys([group.pk for group in groups if group.pk in known] + current))
    if order != current:
        siblings.update(position=_positions_in_order("pk", order))
