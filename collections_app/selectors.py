from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
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


def collection_detail_queryset(*, user) -> QuerySet[Collection]:
    """Groups in order with their books in order, and the collection's books: four queries in all."""
    entries = GroupBook.objects.select_related("book").only(
        "group_id", "book_id", "position", *BOOK_BRIEF_FIELDS
    )
    groups = CollectionGroup.objects.order_by("position").prefetch_related(
        Prefetch("entries", queryset=entries.order_by("position"))
    )
    books = (
        CollectionBook.objects.select_related("book")
        .only("collection_id", "book_id", "added_at", *BOOK_BRIEF_FIELDS)
        .order_by("added_at", "book_id")
    )
    return annotate_counts(Collection.objects.filter(_visible_to(user))).prefetch_related(
        Prefetch("groups", queryset=groups), Prefetch("memberships", queryset=books)
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
