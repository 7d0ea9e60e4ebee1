from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Value

from reviews.models import Review


def _visible_to(viewer) -> Q:
    """Hidden reviews are gone for everyone but their author, who sees them marked hidden."""
    visible = Q(hidden_at__isnull=True)
    if viewer is not None and viewer.is_authenticated:
        visible |= Q(user_id=viewer.pk)
    return visible


def review_list_for_book(*, book_id, viewer=None) -> QuerySet[Review]:
    return (
        Review.objects.filter(_visible_to(viewer), book_id=book_id)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def review_list_for_user(*, user) -> QuerySet[Review]:
    return Review.objects.filter(user=user).select_related("user", "book").order_by("-created_at", "-id")


def review_get_queryset(*, viewer=None, include_hidden: bool = False) -> QuerySet[Review]:
    reviews = Review.objects.all() if include_hidden else Review.objects.filter(_visible_to(viewer))
    return reviews.select_related("user", "book")


def annotate_user_rating(queryset: QuerySet, *, user) -> QuerySet:
    """Add ``my_rating`` (the caller's stars for each book, or None) inside the same query."""
    if user is None or not user.is_authenticated:
        return queryset.annotate(my_rating=Value(None, output_field=IntegerField()))
    own = Review.objects.filter(book_id=OuterRef("pk"), user_id=user.pk).values("rating")[:1]
    return queryset.annotate(my_rating=Subquery(own, output_field=IntegerField()))
