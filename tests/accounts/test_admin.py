import pytest

from accounts import services
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_user_changelist_searches_and_filters(admin_client, user):
    response = admin_client.get(
        "/admin/accounts/user/", {"q": user.email, "subscription_tier__exact": "free"}
    )
    assert response.status_code == 200
    assert user.email.encode() in response.content


def test_admin_adds_user_with_email_and_password(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "curator@example.com",
            "usable_password": "true",
            "password1": "x-long-pass-123",
            "password2": "x-long-pass-123",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="curator@example.com")
    assert created.check_password("x-long-pass-123")
    assert created.preferences is not None
    assert admin_client.get(f"/admin/accounts/user/{created.pk}/change/").status_code == 200


def test_api_key_admin_never_shows_the_hash_and_revokes(admin_client, user):
    api_key, _full = services.api_key_create(user=user, name="deploy", permissions=["reviews:write"])
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert b"deploy" in page.content
    assert api_key.secret_hash.encode() not in page.content
    listing = admin_client.get("/admin/accounts/apikey/")
    assert api_key.secret_hash.encode() not in listing.content
    admin_client.post("/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]})
    api_key.refresh_from_db()
    assert not api_key.is_active


def test_api_key_scopes_are_checkboxes_and_catalog_write_stays_with_staff(admin_client, user):
    api_key, _full = services.api_key_create(user=user, name="deploy", permissions=["reviews:write"])
    url = f"/admin/accounts/apikey/{api_key.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'type="checkbox" name="permissions" value="favorites:write"' in page
    form = {"name": "deploy", "rate_limit": "100", "is_active": "on", "expires_at_0": "", "expires_at_1": ""}
    saved = admin_client.post(url, {**form, "permissions": ["favorites:write", "reviews:write"]})
    assert saved.status_code == 302
    api_key.refresh_from_db()
    assert api_key.permissions == ["favorites:write", "reviews:write"]
    refused = admin_client.post(url, {**form, "permissions": ["catalog:write"]})
    assert refused.status_code == 200
    assert list(refused.context["adminform"].form.errors) == ["permissions"]
