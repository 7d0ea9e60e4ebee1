"""Sessions read with compiled SQL behave as Django's database sessions."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangosSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_saved_session_reads_back_in_one_query_as_djangos_store_reads_it():
    key = _saved(cart=[1, 2], name="<b>Tom</b>")
    with CaptureQueriesContext(connection) as queries:
        data = dict(SessionStore(key).items())
    assert data == {"cart": [1, 2], "name": "<b>Tom</b>"} == dict(DjangosSessionStore(key).items())
    assert len(queries) == 1


@pytest.mark.parametrize("key", ["no-such-session-key", "x" * 40, "'; DROP TABLE django_session; --"])
def test_an_unknown_key_is_an_empty_session_that_saves_under_a_new_key(key):
    store = SessionStore(key)
    assert dict(store.items()) == {}
    store["seen"] = True
    store.save()
    assert store.session_key not in (None, key)
    assert Session.objects.filter(session_key=store.session_key).exists()


def test_an_expired_session_is_not_read():
    key = _saved(user="someone")
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert dict(SessionStore(key).items()) == {}
