from catalog.models import Book
from reviews.services import ratings_recompute


def stars(book: Book) -> list[int]:
    book.refresh_from_db()
    return [
        book.rating_1_count,
        book.rating_2_count,
        book.rating_3_count,
        book.rating_4_count,
        book.rating_5_count,
    ]


def assert_aggregates_exact() -> None:
    assert ratings_recompute(check_only=True) == []
