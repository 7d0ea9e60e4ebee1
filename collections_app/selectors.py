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


def annotate_counts(queryset: QuerySet[Collection]) -> QuerySet[Collection]:
    return queryset.annotate(
        group_count=_count(CollectionGroup, collection=OuterRef("pk")),
        book_count=_count(CollectionBook, collection=OuterRef("pk")),
    )


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


# A collection's groups and books as JSON built by PostgreSQL in the collection's own row: the rows of a
# collection of a thousand books are never turned into Python objects one by one (a thousand models, or
# even a thousand tuples, cost more than the query). ``json`` keeps keys in the order the API writes them;
# dates come as the API writes them (ISO 8601 in UTC with "Z", microseconds only when there are some, as
# DRF writes them: the API's time zone is UTC).
_BOOK_BRIEF = "json_build_object('id', b.id, 'title', b.title, 'author', b.author, 'cover_image_url', b.cover_image_url)"
_GROUPS_JSON = f"""(
    SELECT coalesce(json_agg(json_build_object(
        'id', g.id, 'name', g.name, 'description', g.description, 'position', g.position,
        'books', (
            SELECT coalesce(json_agg(json_build_object('position', gb.position, 'book', {_BOOK_BRIEF})
                                     ORDER BY gb.position), '[]')
            FROM group_books gb JOIN books b ON b.id = gb.book_id
            WHERE gb.group_id = g.id
        )
    ) ORDER BY g.position), '[]')::text
    FROM groups g WHERE g.collection_id = "collections"."id"
)"""
_BOOKS_JSON = f"""(
    SELECT coalesce(json_agg(json_build_object(
        'added_at', to_char(cb.added_at AT TIME ZONE 'UTC',
            CASE WHEN date_trunc('second', cb.added_at) = cb.added_at
                THEN 'YYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"' END),
        'book', {_BOOK_BRIEF}
    ) ORDER BY cb.added_at, cb.book_id), '[]')::text
    FROM collection_books cb JOIN books b ON b.id = cb.book_id
    WHERE cb.collection_id = "collections"."id"
)"""


def collection_detail(*, user, collection_id) -> Collection:
    """The collection with its counts, ``group_rows`` (groups in order, each with ``books``: its entries in
    order, each a position and a book in brief) and ``membership_rows`` (its books by date added), shaped
    as the API writes them: one query whatever the size."""
    collection = get_object_or_404(
        annotate_counts(collection_readable(user=user)).annotate(
            groups_json=RawSQL(_GROUPS_JSON, []), books_json=RawSQL(_BOOKS_JSON, [])
        ),
        pk=collection_id,
    )
    collection.group_rows = orjson.loads(collection.groups_json)  # type: ignore[attr-defined]
    collection.membership_rows = orjson.loads(collection.books_json)  # type: ignore[attr-defined]
    return collection


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
