from django.db import connection

from accounts.models import User
from catalog.models import Book
from core.errors import ConflictError
from favorites.models import UserFavorite
from favorites.values import Favorite

# Insert, or say nothing when the favorite exists (a repeat, or a racing add that committed first).
_ADD = """
INSERT INTO user_favorites (user_id, book_id) VALUES (%s, %s)
ON CONFLICT (user_id, book_id) DO NOTHING
RETURNING user_id, book_id, created_at
"""
_ADD_ATTEMPTS = 5  # each lost only to a remove landing between two statements
_EXISTING = "SELECT user_id, book_id, created_at FROM user_favorites WHERE user_id = %s AND book_id = %s"


def favorite_add(*, user: User, book: Book) -> Favorite:
    """The user's favorite of the book, made if it was not there: idempotent, so a repeat or a racing add
    returns the favorite that exists (its first ``created_at``) and creates nothing.

    An ``INSERT … ON CONFLICT DO NOTHING`` that finds the row returns nothing, and the same statement
    cannot read a row another transaction committed after it began: a second statement does. Were the
    favorite removed in between, the insert is tried again."""
    with connection.cursor() as cursor:
        for _attempt in range(_ADD_ATTEMPTS):
            cursor.execute(_ADD, [user.pk, book.pk])
            row = cursor.fetchone()
            if row is None:
                cursor.execute(_EXISTING, [user.pk, book.pk])
                row = cursor.fetchone()
            if row is not None:
                return Favorite(*row)
    raise ConflictError("This favorite was removed each time it was added; try again.")


def favorite_remove(*, user: User, book_id) -> None:
    """Idempotent: removing a favorite that does not exist is not an error."""
    UserFavorite.objects.filter(user=user, book_id=book_id).delete()
