from accounts.models import User
from catalog.models import Book
from favorites.models import UserFavorite


def favorite_add(*, user: User, book: Book) -> None:
    """Idempotent: ``INSERT … ON CONFLICT DO NOTHING``, so a repeat or a racing add creates nothing."""
    UserFavorite.objects.bulk_create([UserFavorite(user=user, book=book)], ignore_conflicts=True)


def favorite_remove(*, user: User, book_id) -> None:
    """Idempotent: removing a favorite that does not exist is not an error."""
    UserFavorite.objects.filter(user=user, book_id=book_id).delete()
