import pytest

from favorites import services
from favorites.models import UserFavorite
from tests.catalog.factories import BookFactory

pytestmark = pytest.mark.django_db


def test_user_change_page_lists_favorites_and_staff_can_remove_one(admin_client, user):
    kept, removed = BookFactory(title="Kept book"), BookFactory(title="Removed book")
    services.favorite_add(user=user, book=kept)
    services.favorite_add(user=user, book=removed)
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert b"Kept book" in page.content and b"Removed book" in page.content
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "remove_favorites"
    }
    data.update(
        {
            "password": user.password,
            "groups": [],
            "user_permissions": [],
            "remove_favorites": [str(removed.pk)],
            "preferences-TOTAL_FORMS": "1",
            "preferences-INITIAL_FORMS": "1",
            "preferences-0-id": str(user.preferences.pk),
            "preferences-0-user": str(user.pk),
            "preferences-0-theme": "modern",
            "preferences-0-communication_preferences": '{"email": true, "sms": false, "in_app": true}',
            "preferences-0-extra": "{}",
            "preferences-0-custom_hours": "null",
            "api_keys-TOTAL_FORMS": "0",
            "api_keys-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if k not in ("groups", "user_permissions") or v}
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    assert list(UserFavorite.objects.values_list("book_id", flat=True)) == [kept.pk]


def test_book_change_page_shows_favorite_count(admin_client, user):
    book = BookFactory()
    services.favorite_add(user=user, book=book)
    page = admin_client.get(f"/admin/catalog/book/{book.pk}/change/")
    assert b"1 reader(s)" in page.content
