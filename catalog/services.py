from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from catalog.isbn import InvalidIsbn, normalize_isbn
from catalog.models import Book, BookGenre, Genre
from core.errors import ConflictError
from core.validation import reject_fields_outside

BOOK_WRITABLE_FIELDS = frozenset(
    {
        "title",
        "author",
        "isbn",
        "description",
        "cover_image_url",
        "publication_date",
        "publication_year",
        "language_code",
    }
)


def isbn_clean(raw: str | None) -> str | None:
    """ISBN-13 for any accepted spelling of an ISBN; None for blank. ValidationError names `isbn`."""
    if raw is None or not str(raw).strip():
        return None
    try:
        return normalize_isbn(str(raw))
    except InvalidIsbn as exc:
        raise ValidationError({"isbn": str(exc)}) from exc


def _book_save(book: Book, *, genres: list[Genre] | None) -> Book:
    book.full_clean(validate_unique=False, validate_constraints=False)
    if book.isbn and Book.objects.filter(isbn=book.isbn).exclude(pk=book.pk).exists():
        raise ConflictError({"isbn": ["A book with this ISBN already exists."]})
    try:
        with transaction.atomic():
            book.save()
            if genres is not None:
                book.genres.set(genres)
    except IntegrityError as exc:  # a concurrent write took the ISBN after our check
        raise ConflictError({"isbn": ["A book with this ISBN already exists."]}) from exc
    return book


def book_create(*, genres: list[Genre] | None = None, **fields) -> Book:
    reject_fields_outside(fields, BOOK_WRITABLE_FIELDS, "This field cannot be set.")
    fields["isbn"] = isbn_clean(fields.get("isbn"))
    return _book_save(Book(**fields), genres=genres)


def book_update(*, book: Book, genres: list[Genre] | None = None, **fields) -> Book:
    reject_fields_outside(fields, BOOK_WRITABLE_FIELDS)
    if "isbn" in fields:
        fields["isbn"] = isbn_clean(fields["isbn"])
    for field, value in fields.items():
        setattr(book, field, value)
    return _book_save(book, genres=genres)


def book_delete(*, book: Book) -> None:
    book.delete()


def genre_create(*, name: str, slug: str = "", description: str = "") -> Genre:
    genre = Genre(name=name.strip(), slug=slug or slugify(name), description=description)
    return _genre_save(genre)


def genre_update(*, genre: Genre, **fields) -> Genre:
    for field, value in fields.items():
        setattr(genre, field, value)
    return _genre_save(genre)


def _genre_save(genre: Genre) -> Genre:
    if not genre.slug:
        raise ValidationError({"slug": "A slug is required (letters, digits, hyphens)."})
    genre.full_clean(validate_unique=False, validate_constraints=False)
    others = Genre.objects.exclude(pk=genre.pk)
    if others.filter(name__iexact=genre.name).exists():
        raise ConflictError({"name": ["A genre with this name already exists."]})
    if others.filter(slug=genre.slug).exists():
        raise ConflictError({"slug": ["A genre with this slug already exists."]})
    try:
        with transaction.atomic():
            genre.save()
    except IntegrityError as exc:  # a concurrent write took the name or slug after our check
        raise ConflictError({"name": ["A genre with this name or slug already exists."]}) from exc
    return genre


def genre_delete(*, genre: Genre) -> None:
    genre.delete()


def genres_ensure(*, names: list[str]) -> dict[str, Genre]:
    """Genres by name, creating missing ones in one statement; safe when importers race."""
    wanted = {slugify(name): name for name in names if slugify(name)}
    Genre.objects.bulk_create(
        [Genre(name=name, slug=slug) for slug, name in wanted.items()], ignore_conflicts=True
    )
    return {genre.name: genre for genre in Genre.objects.filter(slug__in=wanted)}


def book_genres_link(*, pairs: list[tuple[object, int]]) -> int:
    """Link (book_id, genre_id) pairs, skipping existing links. Returns how many were asked for."""
    BookGenre.objects.bulk_create(
        [BookGenre(book_id=book_id, genre_id=genre_id) for book_id, genre_id in pairs],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return len(pairs)
