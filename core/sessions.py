"""Django's database sessions, read with SQL compiled once per process.

Every signed-in request (a curator's admin page) reads its session before anything else; Django builds
and compiles the same ``SELECT`` from a queryset each time, which took longer than PostgreSQL takes to
answer it. The table, the stored data and every other behaviour are Django's.
"""

from datetime import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.compiled import CompiledQuery

_SESSION = CompiledQuery(
    lambda session_key, now: Session.objects.filter(session_key=session_key, expire_date__gt=now).values(
        "session_key", "session_data", "expire_date"
    ),
    parameters={"session_key": str, "now": datetime},
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # As Django's: the unexpired session with this key, else no key (a new session on save).
        rows = _SESSION.rows(session_key=self.session_key, now=timezone.now())
        if not rows:
            self._session_key = None
            return None
        return self.model(**rows[0])
