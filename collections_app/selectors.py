from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from collections_app.models import Collection, CollectionBook, CollectionGroup, GroupBook, Visibility

BOOK_BRIEF_FIELDS = ("book__id", "book__title", "book__author", "book__cover_image_url")


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


def _book_brief(row: dict) -> dict:
    return {"id": row["book__id"], "title": row["book__title"], "author": row["book__author"],
            "cover_image_url": row["book__cover_image_url"]}  # fmt: skip


def collection_detail(*, user, collection_id) -> Collection:
    """The collection with its counts, ``group_rows`` (groups in order, each with ``books``: its entries in
    order, each a position and a book in brief) and ``membership_rows`` (its books by date added).

    Four queries whatever the size, and the rows stay rows: a collection of a thousand books would
    otherwise build four thousand model objects to be turned back into the same dictionaries.
    """
    collection = get_object_or_404(annotate_counts(collection_readable(user=user)), pk=collection_id)
    groups: list[dict[str, Any]] = [
        dict(group)
        for group in CollectionGroup.objects.filter(collection=collection)
        .order_by("position")
        .values("id", "name", "description", "position")
    ]
    books_of = {group["id"]: group.setdefault("books", []) for group in groups}
    entries = (
        GroupBook.objects.filter(collection=collection)
        .order_by("group_id", "position")
        .values("group_id", "position", *BOOK_BRIEF_FIELDS)
    )
    for entry in entries:
        books_of[entry["group_id"]].append({"position": entry["position"], "book": _book_brief(entry)})
    memberships = (
        CollectionBook.objects.filter(collection=collection)
        .order_by("added_at", "book_id")
        .values("added_at", *BOOK_BRIEF_FIELDS)
    )
    collection.group_rows = groups  # type: ignore[attr-defined]
    collection.membership_rows = [  # type: ignore[attr-defined]
        {"added_at": row["added_at"], "book": _book_brief(row)} for row in memberships
    ]
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
