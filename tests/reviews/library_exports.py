"""Library export files as Goodreads and StoryGraph write them, made from the real goodbooks-10k books:
their column sets, Goodreads' ``="…"`` ISBNs, series suffixes in Goodreads titles and none in
StoryGraph's, fractional StoryGraph stars, ``<br/>`` in reviews, shelves with positions."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from reviews.library_files import GOODREADS_COLUMNS

DATASET = Path(__file__).resolve().parents[2] / "catalog" / "data" / "goodbooks-10k" / "books.csv"

STORYGRAPH_COLUMNS = [
    "Title",
    "Authors",
    "Contributors",
    "ISBN/UID",
    "Format",
    "Read Status",
    "Date Added",
    "Last Date Read",
    "Dates Read",
    "Read Count",
    "Moods",
    "Pace",
    "Character- or Plot-Driven?",
    "Strong Character Development?",
    "Loveable Characters?",
    "Diverse Characters?",
    "Flawed Characters?",
    "Star Rating",
    "Review",
    "Content Warnings",
    "Content Warning Description",
    "Tags",
    "Owned?",
]


@dataclass(frozen=True)
class RealBook:
    book_id: int
    title: str
    original_title: str
    authors: str
    isbn10: str  # as goodbooks lost them: without leading zeros, sometimes empty
    year: str


def real_books() -> list[RealBook]:
    with DATASET.open(newline="", encoding="utf-8") as handle:
        return [
            RealBook(
                book_id=int(row["book_id"]),
                title=row["title"],
                original_title=row["original_title"],
                authors=row["authors"],
                isbn10=row["isbn"],
                year=row["original_publication_year"].split(".")[0],
            )
            for row in csv.DictReader(handle)
        ]


def isbn13_of(isbn10: str) -> str:
    first12 = "978" + isbn10.zfill(10)[:9]
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def goodreads_row(book: RealBook, **cells) -> dict[str, str]:
    """A Goodreads export row for ``book``; ``cells`` override columns by name (underscores for spaces)."""
    authors = [a.strip() for a in book.authors.split(",")]
    isbn10 = book.isbn10.zfill(10) if book.isbn10 else ""
    row = {
        "Book Id": str(1000000 + book.book_id),
        "Title": book.title,
        "Author": authors[0],
        "Author l-f": ", ".join(reversed(authors[0].rsplit(" ", 1))),
        "Additional Authors": ", ".join(authors[1:]),
        "ISBN": f'="{isbn10}"',
        "ISBN13": f'="{isbn13_of(isbn10)}"' if isbn10 else '=""',
        "My Rating": "0",
        "Average Rating": "4.12",
        "Publisher": "Scholastic Press",
        "Binding": "Paperback",
        "Number of Pages": "374",
        "Year Published": book.year,
        "Original Publication Year": book.year,
        "Date Read": "",
        "Date Added": "2019/03/14",
        "Bookshelves": "",
        "Bookshelves with positions": "",
        "Exclusive Shelf": "read",
        "My Review": "",
        "Spoiler": "",
        "Private Notes": "",
        "Read Count": "1",
        "Owned Copies": "0",
    }
    row.update({name.replace("_", " "): value for name, value in cells.items()})
    return row


def storygraph_row(book: RealBook, **cells) -> dict[str, str]:
    isbn = isbn13_of(book.isbn10) if book.isbn10 else ""
    row = dict.fromkeys(STORYGRAPH_COLUMNS, "")
    row.update(
        {
            "Title": book.original_title or book.title.split(" (")[0],
            "Authors": book.authors,
            "ISBN/UID": isbn,
            "Format": "paperback",
            "Read Status": "read",
            "Date Added": "2023/01/15",
            "Last Date Read": "2023/02/01",
            "Dates Read": "2023/01/20-2023/02/01",
            "Read Count": "1",
            "Moods": "adventurous, dark",
            "Pace": "fast",
            "Star Rating": "",
            "Owned?": "No",
        }
    )
    row.update(cells)
    return row


def csv_bytes(columns: list[str], rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def goodreads_file(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    return csv_bytes(GOODREADS_COLUMNS, rows, encoding)


def storygraph_file(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    return csv_bytes(STORYGRAPH_COLUMNS, rows, encoding)
