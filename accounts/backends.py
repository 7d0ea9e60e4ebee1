"""Django's ``ModelBackend``, its per-request user read with SQL compiled once per process (the same
``SELECT`` Django builds from a queryset on every signed-in request)."""

import uuid

from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS

from accounts.models import User
from core.compiled import CompiledQuery

_COLUMNS = [field.attname for field in User._meta.concrete_fields]  # the order ``from_db`` expects
_USER = CompiledQuery(
    lambda pk: User._default_manager.filter(pk=pk).values(*_COLUMNS), parameters={"pk": uuid.UUID}
)


class SignedInUserBackend(ModelBackend):
    def get_user(self, user_id):
        if not isinstance(user_id, uuid.UUID):  # Django hands over the session's key already parsed
            return super().get_user(user_id)
        rows = _USER.rows(pk=user_id)
        if not rows:
            return None
        user = User.from_db(DEFAULT_DB_ALIAS, _COLUMNS, [rows[0][column] for column in _COLUMNS])
        return user if self.user_can_authenticate(user) else None
