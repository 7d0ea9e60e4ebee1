"""A signed-in request reads its session and its user in one statement, and signs in exactly whom
Django's own session and auth would."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import UserSession
from accounts.sessions import SessionStore
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase for the test"


def _signed_in(client, **fields):
    curator = UserFactory(is_staff=True, is_superuser=True, **fields)
    curator.set_password(PASSWORD)
    curator.save()
    response = client.post(reverse("admin:login"), {"username": curator.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return curator


def _who(client):
    response = client.get(reverse("admin:index"))
    return response.wsgi_request.user if response.status_code == 200 else None


def test_signing_in_writes_the_users_id_beside_the_session(client):
    curator = _signed_in(client)
    [session] = UserSession.objects.all()
    assert session.user_id == curator.pk
    assert session.get_decoded()[SESSION_KEY] == str(curator.pk)


def test_a_signed_in_request_reads_session_and_user_in_one_query(client):
    curator = _signed_in(client, first_name="Ada")
    with CaptureQueriesContext(connection) as queries:
        user = _who(client)
    assert user == curator and user.first_name == "Ada" and user.is_superuser
    assert user.password == type(curator).objects.get(pk=curator.pk).password
    reads = [
        query["sql"]
        for query in queries
        if 'FROM "user_sessions"' in query["sql"] or 'FROM "users"' in query["sql"]
    ]
    assert len(reads) == 1 and "JOIN" in reads[0]


def test_a_password_change_elsewhere_signs_the_session_out(client):
    curator = _signed_in(client)
    curator.set_password("another long passphrase entirely")
    curator.save()
    assert _who(client) is None


@pytest.mark.parametrize("change", ["deactivated", "deleted"])
def test_a_deactivated_or_deleted_user_is_signed_out(client, change):
    curator = _signed_in(client)
    if change == "deleted":
        curator.delete()
    else:
        type(curator).objects.filter(pk=curator.pk).update(is_active=False)
    assert _who(client) is None


def test_the_column_is_only_a_hint_the_signed_data_names_the_user(client):
    curator = _signed_in(client)
    someone_else = UserFactory(is_staff=True, is_superuser=True)
    UserSession.objects.update(user=someone_else)
    assert _who(client) == curator
    UserSession.objects.update(user=None)
    assert _who(client) == curator


def test_an_expired_or_unknown_session_is_nobody(client):
    _signed_in(client)
    UserSession.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert _who(client) is None
    client.cookies["sessionid"] = "'; DROP TABLE user_sessions; --"
    assert _who(client) is None
    assert dict(SessionStore("no-such-session-key-at-all").items()) == {}


def test_signing_out_deletes_the_session(client):
    _signed_in(client)
    client.post(reverse("admin:logout"))
    assert not UserSession.objects.exists()
    assert _who(client) is None
