import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from catalog.importing import BookRow, ImportReport, genre_links_from_tags, plan_book_import
from catalog.isbn import InvalidIsbn, normalize_isbn
from catalog.models import Book, BookGenre, Genre
from core.errors import ConflictError
from core.services import UNSET, given, insert_or_conflict

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

    def save() -> None:
        book.save()
        if genres is not None:
            book_set_genres(book=book, genres=genres)

    # A concurrent write may take the ISBN after the check above.
    insert_or_conflict(save, conflict=ConflictError({"isbn": ["A book with this ISBN already exists."]}))
    return book


def book_create(
    *,
    title: str,
    author: str,
    isbn: str | None = None,
    description: str = "",
    cover_image_url: str = "",
    publication_date: date | None = None,
    publication_year: int | None = None,
    language_code: str = "",
    genres: list[Genre] | None = None,
) -> Book:
    book = Book(
        title=title,
        author=author,
        isbn=isbn_clean(isbn),
        description=description,
        cover_image_url=cover_image_url,
        publication_date=publication_date,
        publication_year=publication_year,
        language_code=language_code,
    )
    return _book_save(book, genres=genres)


def book_update(
    *,
    book: Book,
    title: str = UNSET,
    author: str = UNSET,
    isbn: str | None = UNSET,
    description: str = UNSET,
    cover_image_url: str = UNSET,
    publication_date: date | None = UNSET,
    publication_year: int | None = UNSET,
    language_code: str = UNSET,
    genres: list[Genre] | None = None,
) -> Book:
    """Change the fields given (others stay); ``genres``, when given, replaces the book's genres."""
    fields = given(locals(), BOOK_WRITABLE_FIELDS)
    if "isbn" in fields:
        fields["isbn"] = isbn_clean(fields["isbn"])
    for field, value in fields.items():
        setattr(book, field, value)
    return _book_save(book, genres=genres)


def book_set_genres(*, book: Book, genres: list[Genre]) -> None:
    """The book's genres become exactly ``genres`` (a genre named twice is linked once)."""
    book.genres.set(list(dict.fromkeys(genres)))


def book_delete(*, book: Book) -> None:
    book.delete()


def genre_create(*, name: str, slug: str = "", description: str = "") -> Genre:
    genre = Genre(name=name.strip(), slug=slug or slugify(name), description=description)
    return _genre_save(genre)


def genre_update(*, genre: Genre, name: str = UNSET, slug: str = UNSET, description: str = UNSET) -> Genre:
    for field, value in given(locals(), ("name", "slug", "description")).items():
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
    insert_or_conflict(  # a concurrent write may take the name or slug after the checks above
        genre.save, conflict=ConflictError({"name": ["A genre with this name or slug already exists."]})
    )
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


def book_genres_link(*, pairs: list[tuple[uuid.UUID, int]]) -> int:
    """Link (book_id, genre_id) pairs, skipping existing links. Returns how many were asked for."""
    BookGenre.objects.bulk_create(
        [BookGenre(book_id=book_id, genre_id=genre_id) for book_id, genre_id in pairs],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return len(pairs)


# --- bulk import ------------------------------------------------------------------------------------------

IMPORT_BATCH_SIZE = 1000
IMPORTED_FIELDS = [
    "title",
    "author",
    "isbn",
    "source_book_id",
    "publication_year",
    "language_code",
    "cover_image_url",
]


def books_import(
    *,
    rows: list[BookRow],
    report: ImportReport,
    tag_rows: list | None = None,
    tag_names: dict[str, str] | None = None,
    on_progress=None,
) -> None:
    """Write parsed rows of a books file in bulk: new books inserted, changed ones updated, in batches
    (``on_progress`` is called with each batch's size, e.g. a tqdm bar's ``update``); with tags, the genres
    their user tags name are linked. The caller holds the transaction (a dry run rolls it back)."""
    to_create, to_update = plan_book_import(rows, report)
    if on_progress is not None:
        on_progress.total = len(to_create) + len(to_update)
    for start in range(0, len(to_create), IMPORT_BATCH_SIZE):
        batch = to_create[start : start + IMPORT_BATCH_SIZE]
        Book.objects.bulk_create(batch)
        if on_progress is not None:
            on_progress.update(len(batch))
    for start in range(0, len(to_update), IMPORT_BATCH_SIZE):
        batch = to_update[start : start + IMPORT_BATCH_SIZE]
        Book.objects.bulk_update(batch, [*IMPORTED_FIELDS, "updated_at"])
        if on_progress is not None:
            on_progress.update(len(batch))
    if tag_rows is not None:
        goodreads_to_source = {
            row.goodreads_book_id: row.source_book_id for row in rows if row.source_book_id
        }
        genres_by_source = genre_links_from_tags(tag_rows, tag_names or {}, goodreads_to_source, report)
        genres = genres_ensure(names=sorted({g for gs in genres_by_source.values() for g in gs}))
        book_ids = dict(
            Book.objects.filter(source_book_id__in=genres_by_source).values_list("source_book_id", "id")
        )
        pairs = [
            (book_ids[source_id], genres[name].id)
            for source_id, names in genres_by_source.items()
            if source_id in book_ids
            for name in names
            if name in genres
        ]
        report.genre_links = book_genres_link(pairs=pairs)
