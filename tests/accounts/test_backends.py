"""The signed-in user is read with compiled SQL and checked as Django's ModelBackend checks it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import SignedInUserBackend
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_is_read_whole_in_one_query():
    user = UserFactory(first_name="Ada", is_staff=True)
    with CaptureQueriesContext(connection) as queries:
        found = SignedInUserBackend().get_user(user.pk)
    assert len(queries) == 1
    assert found == user
    assert found.first_name == "Ada" and found.is_staff and found.password == user.password
    assert found.get_session_auth_hash() == user.get_session_auth_hash()
    assert not found._state.adding and found._state.db == "default"


def test_an_inactive_or_missing_user_is_nobody():
    inactive = UserFactory(is_active=False)
    assert SignedInUserBackend().get_user(inactive.pk) is None
    inactive.delete()
    assert SignedInUserBackend().get_user(inactive.pk) is None


def test_a_signed_in_curator_stays_signed_in_until_they_change_their_password(client):
    curator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(curator)
    assert client.get("/admin/").status_code == 200
    curator.set_password("a new and long passphrase")
    curator.save()
    assert client.get("/admin/").status_code == 302  # the session's hash no longer matches
