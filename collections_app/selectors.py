from operator import itemgetter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
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


# Each of the collection's books once, with every place it has in a group (none, one or several): the
# books' columns are read once for both the groups and the memberships. Ids come as text and dates as the
# API writes them (ISO 8601 in UTC with "Z", microseconds only when there are some, as DRF writes them;
# the API's time zone is UTC), so that a thousand rows need no UUID or datetime objects built in Python.
_BOOKS_WITH_PLACES = """
    SELECT b.id::text, b.title, b.author, b.cover_image_url,
           to_char(cb.added_at AT TIME ZONE 'UTC', CASE WHEN date_trunc('second', cb.added_at) = cb.added_at
               THEN 'YYYY-MM-DD"T"HH24:MI:SS"Z"' ELSE 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"' END),
           gb.group_id::text, gb.position
    FROM collection_books cb
    JOIN books b ON b.id = cb.book_id
    LEFT JOIN group_books gb ON gb.collection_id = cb.collection_id AND gb.book_id = cb.book_id
    WHERE cb.collection_id = %s
    ORDER BY cb.added_at, cb.book_id
"""


def collection_detail(*, user, collection_id) -> Collection:
    """The collection with its counts, ``group_rows`` (groups in order, each with ``books``: its entries in
    order, each a position and a book in brief) and ``membership_rows`` (its books by date added), shaped
    as the API writes them.

    Three queries whatever the size, and the rows stay rows: a collection of a thousand books would
    otherwise build thousands of model objects to be turned back into the same dictionaries.
    """
    collection = get_object_or_404(annotate_counts(collection_readable(user=user)), pk=collection_id)
    groups: list[dict[str, Any]] = [
        {**group, "books": []}
        for group in CollectionGroup.objects.filter(collection=collection)
        .order_by("position")
        .values("id", "name", "description", "position")
    ]
    books_of = {str(group["id"]): group["books"] for group in groups}
    memberships: list[dict[str, Any]] = []
    previous = None
    with connection.cursor() as cursor:
        cursor.execute(_BOOKS_WITH_PLACES, [collection.pk])
        for book_id, title, author, cover, added_at, group_id, position in cursor.fetchall():
            if book_id != previous:  # the rows of one book come together
                book = {"id": book_id, "title": title, "author": author, "cover_image_url": cover}
                memberships.append({"added_at": added_at, "book": book})
                previous = book_id
            if group_id is not None:
                books_of[group_id].append({"position": position, "book": book})
    for books in books_of.values():
        books.sort(key=itemgetter("position"))
    collection.group_rows = groups  # type: ignore[attr-defined]
    collection.membership_rows = memberships  # type: ignore[attr-defined]
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
