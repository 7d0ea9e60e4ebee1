"""Reading the goodbooks-10k ``books.csv`` shape (and ``book_tags.csv`` + ``tags.csv``) into books.

Real data is messy: ISBN-10 values lost their leading zeros, ``isbn13`` was stored as a float (its last
digits are gone, so it is never read), years are floats and may be negative, author lists can exceed the
column. Everything repairable is repaired; every repair that loses information is a warning; a row is
rejected only when its title or author is missing or unusable. Every issue carries its line number.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from catalog.isbn import InvalidIsbn, normalize_isbn
from catalog.models import Book
from core.reports import WriteCounts

BOOK_COLUMNS = (
    "book_id",
    "isbn",
    "authors",
    "original_publication_year",
    "title",
    "language_code",
    "image_url",
)
BOOK_TAG_COLUMNS = ("goodreads_book_id", "tag_id")
TAG_COLUMNS = ("tag_id", "tag_name")
TITLE_MAX: int = Book._meta.get_field("title").max_length  # type: ignore[assignment]  # set on both
AUTHOR_MAX: int = Book._meta.get_field("author").max_length  # type: ignore[assignment]
URL_MAX: int = Book._meta.get_field("cover_image_url").max_length  # type: ignore[assignment]
SYNCED_FIELDS = ("title", "author", "publication_year", "language_code", "cover_image_url")

# User tags that name a genre. Most goodbooks tags are shelves ("to-read", "owned"), not genres.
GENRE_TAGS = {
    "fantasy": "Fantasy",
    "science-fiction": "Science Fiction",
    "sci-fi": "Science Fiction",
    "romance": "Romance",
    "mystery": "Mystery",
    "thriller": "Thriller",
    "horror": "Horror",
    "historical-fiction": "Historical Fiction",
    "classics": "Classics",
    "classic": "Classics",
    "young-adult": "Young Adult",
    "ya": "Young Adult",
    "non-fiction": "Nonfiction",
    "nonfiction": "Nonfiction",
    "biography": "Biography",
    "memoir": "Memoir",
    "poetry": "Poetry",
    "fiction": "Fiction",
    "children": "Children's",
    "childrens": "Children's",
    "graphic-novels": "Graphic Novels",
    "comics": "Comics",
    "history": "History",
    "philosophy": "Philosophy",
    "dystopian": "Dystopian",
    "dystopia": "Dystopian",
    "paranormal": "Paranormal",
    "humor": "Humor",
    "self-help": "Self-Help",
    "crime": "Crime",
    "adventure": "Adventure",
    "contemporary": "Contemporary",
    "science": "Science",
    "business": "Business",
    "psychology": "Psychology",
    "religion": "Religion",
    "travel": "Travel",
    "short-stories": "Short Stories",
    "plays": "Plays",
    "literary-fiction": "Literary Fiction",
}


class ImportFileError(Exception):
    """The file cannot be imported at all (missing columns, not CSV, unreadable): nothing is written."""


@dataclass(frozen=True)
class RowIssue:
    line: int
    level: str  # "warning" | "rejected"
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.level}: {self.reason}"


@dataclass
class BookRow:
    line: int
    source_book_id: int | None
    goodreads_book_id: str
    isbn: str | None
    title: str
    author: str
    publication_year: int | None
    language_code: str
    cover_image_url: str
    warned: bool = False


@dataclass
class ImportReport(WriteCounts):
    warned: int = 0
    genre_links: int = 0
    issues: list[RowIssue] = field(default_factory=list)

    summary_fields = ("created", "updated", "unchanged", "warned", "rejected")


def require_columns(header: Sequence[str], required: Iterable[str]) -> None:
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(
            f"Missing required column(s): {', '.join(missing)}. Found: {', '.join(header) or 'none'}."
        )


def read_csv(handle: io.TextIOBase, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with their line numbers (the header is line 1). Fails fast when columns are missing."""
    reader = csv.DictReader(handle)
    try:
        header = reader.fieldnames or []
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ImportFileError(f"Not a readable CSV file: {exc}") from exc
    require_columns(header, required)
    try:
        for row in reader:
            yield reader.line_num, row
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ImportFileError(f"Malformed CSV after line {reader.line_num}: {exc}") from exc


def _clean_year(raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    value = Decimal(raw)  # "2008.0", "-1750.0"
    if value != value.to_integral_value():
        raise ValueError(f"year “{raw}” is not a whole number")
    year = int(value)
    if not -5000 <= year <= 2100:
        raise ValueError(f"year {year} is out of range")
    return year


def _clean_authors(raw: str) -> tuple[str, bool]:
    """The author list, shortened at a name boundary (with “et al.”) when it exceeds the column."""
    authors = " ".join(raw.split())
    if len(authors) <= AUTHOR_MAX:
        return authors, False
    kept: list[str] = []
    for name in authors.split(", "):
        if len(", ".join([*kept, name])) + len(", et al.") > AUTHOR_MAX:
            break
        kept.append(name)
    return ", ".join(kept) + ", et al.", True


def parse_book_row(line: int, row: dict[str, str], issues: list[RowIssue]) -> BookRow | None:
    def warn(reason: str) -> None:
        issues.append(RowIssue(line, "warning", reason))

    title = " ".join((row.get("title") or "").split()) or " ".join((row.get("original_title") or "").split())
    authors_raw = (row.get("authors") or "").strip()
    if not title:
        issues.append(RowIssue(line, "rejected", "title is missing"))
        return None
    if len(title) > TITLE_MAX:
        issues.append(RowIssue(line, "rejected", f"title is longer than {TITLE_MAX} characters"))
        return None
    if not authors_raw:
        issues.append(RowIssue(line, "rejected", "authors is missing"))
        return None
    before = len(issues)
    author, shortened = _clean_authors(authors_raw)
    if shortened:
        warn(f"author list longer than {AUTHOR_MAX} characters, shortened with “et al.”")

    source_raw = (row.get("book_id") or "").strip()
    source_book_id = int(source_raw) if source_raw.isdigit() else None
    if source_book_id is None:
        warn(f"book_id “{source_raw}” is not a positive whole number; the row cannot be matched on re-import")

    isbn = None
    isbn_raw = (row.get("isbn") or "").strip()
    if isbn_raw:
        try:
            isbn = normalize_isbn(isbn_raw, repair_leading_zeros=True)
        except InvalidIsbn as exc:
            warn(f"ISBN dropped: {exc}")

    try:
        year = _clean_year(row.get("original_publication_year", ""))
    except (ValueError, InvalidOperation) as exc:
        warn(f"publication year dropped: {exc}")
        year = None

    url = (row.get("image_url") or "").strip()
    if url and (not url.startswith(("http://", "https://")) or len(url) > URL_MAX):
        warn("cover image URL dropped: not an http(s) URL within 1000 characters")
        url = ""

    return BookRow(
        line=line,
        source_book_id=source_book_id,
        goodreads_book_id=(row.get("goodreads_book_id") or "").strip(),
        isbn=isbn,
        title=title,
        author=author,
        publication_year=year,
        language_code=(row.get("language_code") or "").strip()[:16],
        cover_image_url=url,
        warned=len(issues) > before,
    )


def plan_book_import(rows: list[BookRow], report: ImportReport) -> tuple[list[Book], list[Book]]:
    """Split parsed rows into books to create and books to update, matching existing books by ISBN-13,
    else by the source's stable book id. Duplicate identifiers within the file become warnings."""
    existing = list(Book.objects.only("id", "isbn", "source_book_id", *SYNCED_FIELDS))
    by_isbn = {book.isbn: book for book in existing if book.isbn}
    by_source = {book.source_book_id: book for book in existing if book.source_book_id is not None}
    seen_isbns: set[str] = set()
    seen_sources: set[int] = set()
    to_create: list[Book] = []
    to_update: dict[object, Book] = {}
    now = timezone.now()

    for row in rows:
        if row.source_book_id is not None and row.source_book_id in seen_sources:
            report.issues.append(
                RowIssue(row.line, "rejected", f"book_id {row.source_book_id} appears twice")
            )
            report.rejected += 1
            continue
        if row.isbn and row.isbn in seen_isbns:
            report.issues.append(
                RowIssue(row.line, "warning", f"ISBN {row.isbn} dropped: already used above")
            )
            row.isbn, row.warned = None, True
        match = by_isbn.get(row.isbn) if row.isbn else None
        if match is None and row.source_book_id is not None:
            match = by_source.get(row.source_book_id)
        if row.source_book_id is not None:
            seen_sources.add(row.source_book_id)
        if row.isbn:
            seen_isbns.add(row.isbn)
        report.warned += row.warned

        values = {name: getattr(row, name) for name in SYNCED_FIELDS}
        if match is None:
            to_create.append(Book(source_book_id=row.source_book_id, isbn=row.isbn, **values))
            report.created += 1
            continue
        changed = {name: value for name, value in values.items() if getattr(match, name) != value}
        if row.isbn and match.isbn != row.isbn:
            changed["isbn"] = row.isbn
        if match.source_book_id is None and row.source_book_id is not None:
            changed["source_book_id"] = row.source_book_id
        if changed:
            for name, value in changed.items():
                setattr(match, name, value)
            match.updated_at = now
            to_update[match.pk] = match
            report.updated += 1
        else:
            report.unchanged += 1
    return to_create, list(to_update.values())


def genre_links_from_tags(
    book_tag_rows: Iterable[tuple[int, dict[str, str]]],
    tag_names: dict[str, str],
    goodreads_to_source: dict[str, int],
    report: ImportReport,
) -> dict[int, set[str]]:
    """Genre names per source book id, from the user tags that name a genre."""
    genres: dict[int, set[str]] = {}
    for line, row in book_tag_rows:
        source_id = goodreads_to_source.get((row.get("goodreads_book_id") or "").strip())
        tag_name = tag_names.get((row.get("tag_id") or "").strip())
        if source_id is None:
            report.issues.append(RowIssue(line, "warning", "tag for a book not in the books file skipped"))
            continue
        if tag_name is None:
            report.issues.append(RowIssue(line, "warning", f"unknown tag_id “{row.get('tag_id')}” skipped"))
            continue
        genre = GENRE_TAGS.get(tag_name.strip().lower())
        if genre:
            genres.setdefault(source_id, set()).add(genre)
    return genres
