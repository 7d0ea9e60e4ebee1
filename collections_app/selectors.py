import orjson
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from collections_app.models import Collection, CollectionBook, CollectionGroup, GroupBook, Visibility


def _count(model, **filters) -> Coalesce:
    counts = model.objects.filter(**filters).order_by().values(*filters).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _count_of(model) -> RawSQL:
    """How many of ``model``'s rows belong to each collection: a correlated count, written as SQL because
    building the same subquery as a queryset cost a changelist page a millisecond on every request."""
    return RawSQL(
        f'(SELECT count(*) FROM "{model._meta.db_table}" counted '
        f'WHERE counted.collection_id = "{Collection._meta.db_table}"."id")',
        (),
        output_field=IntegerField(),
    )


def annotate_counts(queryset: QuerySet[Collection]) -> QuerySet[Collection]:
    return queryset.annotate(group_count=_count_of(CollectionGroup), book_count=_count_of(CollectionBook))


def _visible_to(user) -> Q:
    """Readable: public and unlisted (by link) collections, and the user's own."""
    visible = Q(visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
    return visible | Q(created_by_id=user.pk) if user.is_authenticated else visible


def collection_list(*, user) -> QuerySet[Collection]:
    """Listed: public collections and the user's own (unlisted ones are reachable only by link)."""
    listed = Q(visibility=Visibility.PUBLIC)
    if user.is_authenticated:
        listed |= Q(created_by_id=user.pk)
    return annotate_counts(Collection.objects.filter(listed)).order_by("-created_at", "id")


def collection_readable(*, user) -> QuerySet[Collection]:
    """The collections ``user`` may read (unlisted ones by link)."""
    return Collection.objects.filter(_visible_to(user))


# A collection's groups as JSON built by PostgreSQL in the collection's own row, each with its book count:
# one query, and a detail whose size does not grow with the collection's books (those are read a page at a
# time: ``collection_memberships``, ``group_entries``). ``json`` keeps keys in the order the API writes them.
_GROUPS_JSON = """(
    SELECT coalesce(json_agg(json_build_object(
        'id', g.id, 'name', g.name, 'description', g.description, 'position', g.position,
        'book_count', (SELECT count(*) FROM group_books gb WHERE gb.group_id = g.id)
    ) ORDER BY g.position), '[]')::text
    FROM groups g WHERE g.collection_id = "collections"."id"
)"""


def collection_detail(*, user, collection_id) -> Collection:
    """The collection with its counts and ``group_rows`` (its groups in order, each with its book count),
    shaped as the API writes them: one query whatever the size."""
    collection = get_object_or_404(
        annotate_counts(collection_readable(user=user)).annotate(groups_json=RawSQL(_GROUPS_JSON, [])),
        pk=collection_id,
    )
    collection.group_rows = orjson.loads(collection.groups_json)  # type: ignore[attr-defined]
    return collection


# What a book shows where a collection places it.
BOOK_BRIEF_FIELDS = ("book__id", "book__title", "book__author", "book__cover_image_url")


def collection_memberships(*, collection: Collection) -> QuerySet[CollectionBook]:
    """The collection's books, in the order they were added (the primary key breaks ties)."""
    return (
        CollectionBook.objects.filter(collection=collection)
        .select_related("book")
        .only("added_at", "collection_id", *BOOK_BRIEF_FIELDS)
        .order_by("added_at", "book_id")
    )


def group_entries(*, group: CollectionGroup) -> QuerySet[GroupBook]:
    """The group's books, in their order."""
    return (
        GroupBook.objects.filter(group=group)
        .select_related("book")
        .only("position", "group_id", *BOOK_BRIEF_FIELDS)
        .order_by("position")
    )


def group_readable(*, user, collection_id, group_id) -> CollectionGroup:
    """The group, when ``user`` may read its collection; 404 otherwise."""
    return get_object_or_404(
        CollectionGroup.objects.filter(collection__in=collection_readable(user=user)).only("id"),
        collection_id=collection_id,
        pk=group_id,
    )


def collection_get_for_write(*, user, collection_id) -> Collection:
    """The collection if ``user`` owns it; 404 when they cannot see it, 403 when they only can read it."""
    collection = get_object_or_404(Collection.objects.filter(_visible_to(user)), pk=collection_id)
    if collection.created_by_id is None or collection.created_by_id != user.pk:
        raise PermissionDenied("Only the owner can change this collection.")
    return collection


def group_list(*, collection: Collection) -> QuerySet[CollectionGroup]:
    return (
        CollectionGroup.objects.filter(collection=collection)
        .annotate(book_count=_count(GroupBook, group=OuterRef("pk")))
        .order_by("position")
    )
