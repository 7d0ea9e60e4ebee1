from collections_app.models import Collection, CollectionBook, CollectionGroup, GroupBook


def assert_invariants(collection: Collection) -> None:
    """Groups and their books are ordered 0..n-1 without ties; every grouped book is in the collection."""
    positions = list(
        CollectionGroup.objects.filter(collection=collection)
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == list(range(len(positions))), positions
    members = set(CollectionBook.objects.filter(collection=collection).values_list("book_id", flat=True))
    for group in CollectionGroup.objects.filter(collection=collection):
        entries = list(
            GroupBook.objects.filter(group=group).order_by("position").values_list("position", "book_id")
        )
        assert [p for p, _ in entries] == list(range(len(entries))), entries
        assert {b for _, b in entries} <= members
