"""Reading another service's library export: Goodreads' and StoryGraph's CSV files, as they really are.

The format is told by the header. Each data row becomes an *entry*: the title, author and ISBNs to match
a catalog book by, the reader's stars (whole stars; a fractional rating is rounded and the rounding noted),
review text, shelves with their positions and the dates — plus notes on whatever in the row could not be
used as given. Nothing here touches the database.
"""

import codecs
import csv
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from collections_app.models import NAME_MAX
from reviews.models import REVIEW_TEXT_MAX, ImportSource

# Shelves that Goodreads and StoryGraph keep exclusive (a book is on one of them), under Folio's names.
EXCLUSIVE_SHELVES = {
    "to-read": "Want to read",
    "want-to-read": "Want to read",
    "currently-reading": "Currently reading",
    "read": "Read",
    "did-not-finish": "Did not finish",
    "dnf": "Did not finish",
    "paused": "Paused",
}
# And back, for the Goodreads export.
EXCLUSIVE_SHELF_OF_COLLECTION = {
    "want to read": "to-read",
    "currently reading": "currently-reading",
    "read": "read",
    "did not finish": "did-not-finish",
    "paused": "paused",
}

GOODREADS_COLUMNS = [
    "Book Id",
    "Title",
    "Author",
    "Author l-f",
    "Additional Authors",
    "ISBN",
    "ISBN13",
    "My Rating",
    "Average Rating",
    "Publisher",
    "Binding",
    "Number of Pages",
    "Year Published",
    "Original Publication Year",
    "Date Read",
    "Date Added",
    "Bookshelves",
    "Bookshelves with positions",
    "Exclusive Shelf",
    "My Review",
    "Spoiler",
    "Private Notes",
    "Read Count",
    "Owned Copies",
]
# What an import needs of each format; the other columns are kept with the row but not read.
GOODREADS_REQUIRED = ["Title", "Author", "ISBN", "ISBN13", "My Rating", "Exclusive Shelf"]
STORYGRAPH_REQUIRED = ["Title", "Authors", "ISBN/UID", "Read Status", "Star Rating"]

DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%m/%d/%Y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%Y/%m", "%Y")
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")
_POSITIONED_SHELF = re.compile(r"^(?P<name>.*?)\s*\(#(?P<position>\d{1,9})\)$")
_SPREADSHEET_TEXT = re.compile(r'^="(.*)"$')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_FORMULA_STARTS = "=+-@\t\r"
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:i|b|em|strong|u|s|a|span|p|div|blockquote|spoiler)(?:\s[^>]*)?>", re.IGNORECASE
)


class LibraryFileRefused(ValueError):
    """The file cannot be imported at all; the message says why. ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class LibraryFile:
    source: str
    columns: list[str]
    rows: list[dict[str, str]]  # each data row, by column, as written
    entries: list[dict]  # what each row says, read (see ``_entry``)


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark) or UTF-16 (with one, as spreadsheet programs write it)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LibraryFileRefused(
                f"The file starts as UTF-16 but byte {exc.start} is not UTF-16."
            ) from exc
    if b"\x00" in data[:4096]:
        raise LibraryFileRefused("This is a binary file, not a CSV export.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LibraryFileRefused(
            f"The file is not UTF-8 or UTF-16 text (byte {exc.start} is not valid UTF-8). Export it again "
            "from the service, or save it as UTF-8."
        ) from exc


@dataclass
class Survey:
    source: str
    columns: list[str]
    rows: int


def _data_rows(text: str) -> tuple[list[str], Iterator[list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))

    def rows() -> Iterator[list[str]]:
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield cells
        except csv.Error as exc:
            raise LibraryFileRefused(
                f"The file is not a readable CSV (line {reader.line_num}: {exc})."
            ) from exc

    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise LibraryFileRefused(f"The file is not a readable CSV (line 1: {exc}).") from exc
    if not header or not any(cell.strip() for cell in header):
        raise LibraryFileRefused("The file is empty: a CSV export starts with a header row.")
    return [cell.strip() for cell in header], rows()


def _text_of(data: bytes) -> str:
    text = decode(data)
    if "\x00" in text:
        raise LibraryFileRefused("This is a binary file, not a CSV export.")
    return text


def survey(data: bytes, *, max_rows: int) -> Survey:
    """Check a whole file quickly, without reading its rows: the encoding, the header, that every line
    parses, and the number of rows. What passes here, ``read`` reads without refusing anything."""
    columns, rows = _data_rows(_text_of(data))
    source = detect_source(columns)
    count = 0
    for _cells in rows:
        count += 1
        if count > max_rows:
            raise LibraryFileRefused(
                f"The file has more than {max_rows:,} rows; split it and import each part."
            )
    if not count:
        raise LibraryFileRefused("The file has a header but no rows.")
    return Survey(source=source, columns=columns, rows=count)


def read(data: bytes, *, max_rows: int) -> LibraryFile:
    """Decode, parse and read a whole file, or refuse it with the reason."""
    found = survey(data, max_rows=max_rows)
    columns, cells_of_rows = _data_rows(_text_of(data))
    rows = [
        {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(columns)}
        for cells in cells_of_rows
    ]
    read_row = _goodreads_entry if found.source == ImportSource.GOODREADS else _storygraph_entry
    return LibraryFile(
        source=found.source, columns=columns, rows=rows, entries=[read_row(row) for row in rows]
    )


def detect_source(columns: list[str]) -> str:
    present = set(columns)
    goodreads_missing = [name for name in GOODREADS_REQUIRED if name not in present]
    storygraph_missing = [name for name in STORYGRAPH_REQUIRED if name not in present]
    if not goodreads_missing:
        return ImportSource.GOODREADS
    if not storygraph_missing:
        return ImportSource.STORYGRAPH
    if "My Rating" in present or "Exclusive Shelf" in present or "Book Id" in present:
        raise LibraryFileRefused(
            f"This looks like a Goodreads export but lacks the columns: {', '.join(goodreads_missing)}."
        )
    if "Star Rating" in present or "Read Status" in present or "ISBN/UID" in present:
        raise LibraryFileRefused(
            f"This looks like a StoryGraph export but lacks the columns: {', '.join(storygraph_missing)}."
        )
    raise LibraryFileRefused(
        "The header is neither a Goodreads export's (it needs "
        f"{', '.join(GOODREADS_REQUIRED)}) nor a StoryGraph export's (it needs {', '.join(STORYGRAPH_REQUIRED)})."
    )


# --- cells --------------------------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    """A cell as plain text: Goodreads writes ISBNs as ``="0439023483"`` so spreadsheets keep the zeros."""
    value = (value or "").strip()
    spreadsheet = _SPREADSHEET_TEXT.match(value)
    if spreadsheet:
        return spreadsheet.group(1).strip()
    return _unneutralised(value)


def _unneutralised(value: str) -> str:
    """A cell as it was before an export (this one, or a careful spreadsheet) neutralised it as a formula."""
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_STARTS else value


def _rating(raw: str, notes: list[str]) -> int | None:
    """Whole stars 1–5, or None for no rating (0 or empty, as both services write it)."""
    raw = _text(raw)
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        notes.append(f"The rating “{raw[:20]}” is not a number; the book was imported without one.")
        return None
    if not value.is_finite() or value < 0 or value > 5:
        notes.append(f"The rating “{raw[:20]}” is not between 0 and 5; the book was imported without one.")
        return None
    if value == 0:
        return None
    stars = max(1, int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    if stars != value:
        notes.append(
            f"The rating {value.normalize()} was rounded to {stars} stars (Folio keeps whole stars)."
        )
    return stars


def _day(raw: str, column: str, notes: list[str]) -> str | None:
    """An ISO date or date-time from any of the services' formats; a date the row cannot give is noted."""
    raw = _text(raw)
    if not raw:
        return None
    first = re.split(r"\s*[-–]\s*(?=\d{4}[/-])|,\s*(?=\d{4}[/-])", raw)[0]  # "Dates Read": ranges and lists
    plain = _YEAR_MONTH_DAY.fullmatch(first)
    if plain and 1000 <= int(plain[1]) <= 2999:  # what both services write, read without trying every pattern
        try:
            return date(int(plain[1]), int(plain[2]), int(plain[3])).isoformat()
        except ValueError:
            pass
    for pattern in DATETIME_FORMATS:
        try:
            return datetime.strptime(first, pattern).isoformat()
        except ValueError:
            pass
    for pattern in DATE_FORMATS:
        try:
            parsed = datetime.strptime(first, pattern).date()
        except ValueError:
            continue
        if date(1000, 1, 1) <= parsed <= date(2999, 12, 31):
            return parsed.isoformat()
    notes.append(f"“{raw[:40]}” in {column} is not a date Folio reads; it was left out.")
    return None


def shelf_name(raw: str, notes: list[str]) -> str | None:
    name = " ".join(_CONTROL.sub(" ", raw).split())
    if not name:
        return None
    name = EXCLUSIVE_SHELVES.get(name.lower(), name)
    if len(name) > NAME_MAX:
        notes.append(f"A shelf name of {len(name)} characters was shortened to {NAME_MAX}.")
        name = name[:NAME_MAX].rstrip()
    return name


def _shelves(names: list[str], positions: dict[str, int], notes: list[str]) -> list[dict]:
    """Each shelf once, under Folio's name for it, with its position on the shelf where the file gives one."""
    shelves: dict[str, dict] = {}
    for raw in names:
        name = shelf_name(raw, notes)
        if name and name.lower() not in shelves:
            shelves[name.lower()] = {"name": name, "position": positions.get(raw.strip().lower())}
    return list(shelves.values())


def _review(raw: str, notes: list[str]) -> str:
    """A review as plain text: Goodreads writes its reviews as HTML (``<br/>``, ``<i>``, ``&amp;``)."""
    text = _HTML_BREAK.sub("\n", _unneutralised(raw or "").replace("\r\n", "\n"))
    text = html.unescape(_HTML_TAG.sub("", text)).strip()
    if len(text) > REVIEW_TEXT_MAX:
        notes.append(f"The review of {len(text):,} characters was shortened to {REVIEW_TEXT_MAX:,}.")
        text = text[:REVIEW_TEXT_MAX]
    return text


def _split(raw: str) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _isbns(*raws: str) -> tuple[str, str]:
    """(ISBN-13, ISBN-10) from cells that may hold either, or a service's own id."""
    isbn13 = isbn10 = ""
    for raw in raws:
        digits = re.sub(r"[\s-]", "", _text(raw)).upper()
        if len(digits) == 13 and digits.isdigit() and not isbn13:
            isbn13 = digits
        elif re.fullmatch(r"\d{7,9}[\dX]", digits) and not isbn10:
            isbn10 = digits
    return isbn13, isbn10


def _goodreads_entry(row: dict[str, str]) -> dict:
    notes: list[str] = []
    positions = {}
    for item in _split(_text(row.get("Bookshelves with positions", ""))):
        found = _POSITIONED_SHELF.match(item)
        if found:
            positions[found["name"].strip().lower()] = int(found["position"])
    isbn13, isbn10 = _isbns(row.get("ISBN13", ""), row.get("ISBN", ""))
    book_id = _text(row.get("Book Id", ""))
    return {
        "title": _text(row.get("Title", "")),
        "author": _text(row.get("Author", "")),
        "isbn13": isbn13,
        "isbn10": isbn10,
        # A Folio export writes the book's own id here; Goodreads writes its numeric one.
        "folio_id": book_id if len(book_id) == 36 else "",
        "rating": _rating(row.get("My Rating", ""), notes),
        "review": _review(row.get("My Review", ""), notes),
        "shelves": _shelves(
            [_text(row.get("Exclusive Shelf", "")), *_split(_text(row.get("Bookshelves", "")))],
            positions,
            notes,
        ),
        "date_added": _day(row.get("Date Added", ""), "Date Added", notes),
        "date_read": _day(row.get("Date Read", ""), "Date Read", notes),
        "notes": notes,
    }


def _storygraph_entry(row: dict[str, str]) -> dict:
    notes: list[str] = []
    isbn13, isbn10 = _isbns(row.get("ISBN/UID", ""))
    return {
        "title": _text(row.get("Title", "")),
        "author": _split(_text(row.get("Authors", "")))[0] if _text(row.get("Authors", "")) else "",
        "isbn13": isbn13,
        "isbn10": isbn10,
        "folio_id": "",
        "rating": _rating(row.get("Star Rating", ""), notes),
        "review": _review(row.get("Review", ""), notes),
        "shelves": _shelves(
            [_text(row.get("Read Status", "")), *_split(_text(row.get("Tags", "")))], {}, notes
        ),
        "date_added": _day(row.get("Date Added", ""), "Date Added", notes),
        "date_read": _day(
            row.get("Last Date Read", "") or row.get("Dates Read", ""), "Last Date Read", notes
        ),
        "notes": notes,
    }


# --- writing ---------------------------------------------------------------------------------------------------


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula (``=``, ``+``, ``-``, ``@``, or a
    tab or carriage return before one) gets a leading apostrophe, as OWASP advises for CSV injection."""
    text = "" if value is None else str(value)
    if text and text[0] in _FORMULA_STARTS:
        return "'" + text
    return text


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return out.getvalue()
