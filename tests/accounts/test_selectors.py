import pytest

from accounts.selectors import user_get_by_external_auth_id
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_found_by_external_auth_id():
    user = UserFactory(external_auth_id="auth0|123")
    UserFactory()
    assert user_get_by_external_auth_id(external_auth_id="auth0|123") == user
    assert user_get_by_external_auth_id(external_auth_id="auth0|999") is None
    assert user_get_by_external_auth_id(external_auth_id="") is None
