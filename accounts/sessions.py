"""Sessions and the signed-in user in one statement.

Every signed-in request (a curator's admin page) reads its session, then its user: two round trips to
PostgreSQL and two querysets compiled to SQL, which took longer than PostgreSQL takes to answer either.
Here the session row carries its user's id (``UserSession.user``), and the session is read joined to
its user with SQL compiled once per process; Django's auth then takes that user, after checking it is
the one the signed session data names. Everything else (the signed data, expiry, rotation, the session
hash check that signs a user out when their password changes) is Django's.
"""

import uuid
from contextvars import ContextVar
from datetime import datetime
from typing import cast

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends import db
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.models import User, UserSession
from core.compiled import CompiledQuery

_USER_COLUMNS = [field.attname for field in User._meta.concrete_fields]  # the order ``from_db`` expects
_SESSION_COLUMNS = ["session_key", "session_data", "expire_date"]

_SESSION_AND_USER = CompiledQuery(
    lambda session_key, now: UserSession.objects.filter(session_key=session_key, expire_date__gt=now).values(
        *_SESSION_COLUMNS, "user_id", *(f"user__{column}" for column in _USER_COLUMNS)
    ),
    parameters={"session_key": str, "now": datetime},
)
_USER = CompiledQuery(
    lambda pk: User._default_manager.filter(pk=pk).values(*_USER_COLUMNS), parameters={"pk": uuid.UUID}
)

# The session whose user the auth backend may take, while Django's auth reads the request's user.
_reading_user_of: ContextVar["SessionStore | None"] = ContextVar("reading_user_of", default=None)


def _user_from_row(row: dict, prefix: str = "") -> User:
    return User.from_db(DEFAULT_DB_ALIAS, _USER_COLUMNS, [row[prefix + column] for column in _USER_COLUMNS])


def _uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class SessionStore(db.SessionStore):
    user_read_with_it: User | None = None

    @classmethod
    def get_model_class(cls):
        return UserSession

    def create_model_instance(self, data):
        session = cast(UserSession, super().create_model_instance(data))
        session.user_id = _uuid_or_none(data.get(SESSION_KEY)) if SESSION_KEY in data else None
        return session

    def _get_session_from_db(self):
        # As Django's: the unexpired session with this key, else no key (a new session when saved).
        rows = _SESSION_AND_USER.rows(session_key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None
            return None
        row = rows[0]
        if row["user__email"] is not None:  # a user joined (the id alone may be the column's own)
            self.user_read_with_it = _user_from_row(row, "user__")
        return self.model(**{column: row[column] for column in _SESSION_COLUMNS})


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, letting the backend take the user read with the session."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        token = _reading_user_of.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _reading_user_of.reset(token)
    return request._cached_user


class SessionUserBackend(ModelBackend):
    """Django's ``ModelBackend``; the signed-in user is the one read with the session when it is the user
    the session names, else read with compiled SQL."""

    def get_user(self, user_id):
        if not isinstance(user_id, uuid.UUID):
            return super().get_user(user_id)
        session = _reading_user_of.get()
        user = session.user_read_with_it if isinstance(session, SessionStore) else None
        if user is None or user.pk != user_id:
            rows = _USER.rows(pk=user_id)
            user = _user_from_row(rows[0]) if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None
