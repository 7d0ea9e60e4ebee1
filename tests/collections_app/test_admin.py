import pytest

from collections_app.models import Collection, CollectionBook, CollectionGroup, GroupBook
from tests.admin import autocomplete_texts
from tests.catalog.factories import BookFactory
from tests.collections_app.helpers import assert_invariants

pytestmark = pytest.mark.django_db


def _inline(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_curator_creates_a_site_collection_with_ordered_groups_and_books(admin_client):
    a, b, c = BookFactory.create_batch(3)
    assert admin_client.get("/admin/collections_app/collection/add/").status_code == 200
    data = {
        "name": "Staff picks",
        "description": "",
        "created_by": "",
        "visibility": "public",
        "books": [str(a.pk), str(b.pk)],
        **_inline("groups", 2, 0),
        "groups-0-name": "Classics",
        "groups-0-description": "",
        "groups-0-place": "",
        "groups-0-books": [str(b.pk), str(c.pk)],
        "groups-1-name": "New",
        "groups-1-description": "",
        "groups-1-place": "0",
        "groups-1-books": [str(a.pk)],
    }
    response = admin_client.post("/admin/collections_app/collection/add/", data)
    assert response.status_code == 302, _debug_errors(response) if response.context else response
    collection = Collection.objects.get(name="Staff picks")
    assert collection.created_by is None
    assert list(
        CollectionGroup.objects.filter(collection=collection)
        .order_by("position")
        .values_list("name", flat=True)
    ) == ["New", "Classics"]
    assert CollectionBook.objects.filter(collection=collection).count() == 3  # c joined through its group
    classics = CollectionGroup.objects.get(name="Classics")
    assert list(
        GroupBook.objects.filter(group=classics).order_by("position").values_list("book_id", flat=True)
    ) == [b.pk, c.pk]
    assert_invariants(collection)

    page = admin_client.get(f"/admin/collections_app/collection/{collection.pk}/change/")
    assert page.status_code == 200
    groups = list(CollectionGroup.objects.filter(collection=collection).order_by("position"))
    edit = {
        "name": "Staff picks",
        "description": "",
        "created_by": "",
        "visibility": "public",
        "books": [str(a.pk), str(c.pk)],  # b removed from the collection, so from Classics too
        **_inline("groups", 2, 2),
        "groups-0-id": str(groups[0].pk),
        "groups-0-collection": str(collection.pk),
        "groups-0-name": "New",
        "groups-0-description": "",
        "groups-0-place": "1",
        "groups-0-books": [str(a.pk)],
        "groups-1-id": str(groups[1].pk),
        "groups-1-collection": str(collection.pk),
        "groups-1-name": "Classics",
        "groups-1-description": "",
        "groups-1-place": "1",
        "groups-1-books": [str(c.pk)],
    }
    response = admin_client.post(f"/admin/collections_app/collection/{collection.pk}/change/", edit)
    assert response.status_code == 302, _debug_errors(response) if response.context else response
    assert not CollectionBook.objects.filter(collection=collection, book=b).exists()
    assert list(GroupBook.objects.filter(group=classics).values_list("book_id", flat=True)) == [c.pk]
    assert_invariants(collection)


def test_collection_changelist_renders(admin_client):
    Collection.objects.create(name="Public", created_by=None, visibility="public")
    assert admin_client.get("/admin/collections_app/collection/", {"q": "Pub"}).status_code == 200


def test_book_autocomplete_for_collections(admin_client):
    BookFactory(title="The Left Hand of Darkness", author="Ursula K. Le Guin")
    texts = autocomplete_texts(
        admin_client, app_label="collections_app", model_name="groupbook", field_name="book", term="darkness"
    )
    assert texts == ["The Left Hand of Darkness — Ursula K. Le Guin"]


def test_private_collection_without_owner_is_refused_in_the_form(admin_client):
    response = admin_client.post(
        "/admin/collections_app/collection/add/",
        {
            "name": "Oops",
            "description": "",
            "created_by": "",
            "visibility": "private",
            **_inline("groups", 0, 0),
        },
    )
    assert response.status_code == 200
    assert not Collection.objects.exists()


def _debug_errors(response):
    return [fs.formset.errors for fs in response.context["inline_admin_formsets"]], response.context["errors"]


def _collection_form(collection: Collection, groups: list[dict], initial: int) -> dict:
    data = {
        "name": collection.name,
        "description": "",
        "created_by": "",
        "visibility": "public",
        "books": [],
        **_inline("groups", len(groups), initial),
    }
    for index, group in enumerate(groups):
        data.update({f"groups-{index}-{key}": value for key, value in group.items()})
    return data


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"name": "Classics"}, {"name": "Classics"}], "Please correct the duplicate data for name"),
        ([{"name": "Other", "place": "-1"}], "greater than or equal to 0"),
        ([{"name": "Other", "place": "99999999999"}], "less than or equal to 1000000"),
        ([{"name": "Other", "books": ["not-a-book"]}], "is not a valid UUID"),
    ],
    ids=["two-new-groups-same-name", "negative-position", "huge-position", "bad-book-id"],
)
def test_bad_group_rows_are_field_messages_and_nothing_is_saved(admin_client, rows, message):
    collection = Collection.objects.create(name="Shelf", visibility="public")
    response = admin_client.post(
        f"/admin/collections_app/collection/{collection.pk}/change/", _collection_form(collection, rows, 0)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CollectionGroup.objects.filter(collection=collection).exists()


def _rename_groups(admin_client, new_names: tuple[str, str]) -> str:
    """Two groups, First and Second, renamed in one save to ``new_names``; the page answered."""
    from collections_app import services

    collection = Collection.objects.create(name="Shelf", visibility="public")
    groups = [services.group_create(collection=collection, name=name) for name in ("First", "Second")]
    rows = [
        {"id": str(group.pk), "collection": str(collection.pk), "name": name, "place": str(index)}
        for index, (group, name) in enumerate(zip(groups, new_names, strict=True))
    ]
    response = admin_client.post(
        f"/admin/collections_app/collection/{collection.pk}/change/", _collection_form(collection, rows, 2)
    )
    assert response.status_code == 200
    assert list(CollectionGroup.objects.order_by("position").values_list("name", flat=True)) == [
        "First",
        "Second",
    ]  # nothing saved
    return response.content.decode()


def test_renaming_a_group_to_a_taken_name_is_a_field_message(admin_client):
    page = _rename_groups(admin_client, ("First", "First"))
    assert "duplicate" in page.lower() or "already has a group" in page


def test_swapping_two_group_names_in_one_save_is_refused_whole_with_a_message(admin_client):
    page = _rename_groups(admin_client, ("Second", "First"))
    assert "Group “Second”: This collection already has a group with that name." in page
