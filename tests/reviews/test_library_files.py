"""Reading Goodreads and StoryGraph exports as the services write them, and refusing what is not one."""

import codecs

import pytest

from reviews.library_files import (
    GOODREADS_COLUMNS,
    LibraryFileRefused,
    csv_text,
    read,
    spreadsheet_safe,
)
from reviews.models import ImportSource
from tests.reviews.library_exports import (
    STORYGRAPH_COLUMNS,
    csv_bytes,
    goodreads_file,
    goodreads_row,
    real_books,
    storygraph_file,
    storygraph_row,
)

BOOKS = real_books()
HUNGER_GAMES, HARRY_POTTER = BOOKS[0], BOOKS[1]


def test_goodreads_row_is_read_with_its_quirks():
    data = goodreads_file(
        [
            goodreads_row(
                HUNGER_GAMES,
                My_Rating="4",
                My_Review='<i>Gripping</i>.<br/><br/>Would read <a href="https://x">again</a> &amp; again.',
                Bookshelves="dystopia, favorites",
                Bookshelves_with_positions="dystopia (#3), favorites (#12)",
                Exclusive_Shelf="read",
                Date_Added="2017/03/15",
            )
        ]
    )
    library = read(data, max_rows=10)
    assert library.source == ImportSource.GOODREADS
    assert library.columns == GOODREADS_COLUMNS
    entry = library.entries[0]
    assert entry["title"] == "The Hunger Games (The Hunger Games, #1)"
    assert entry["author"] == "Suzanne Collins"
    assert entry["isbn10"] == "0439023483"  # ="0439023483", leading zero kept
    assert entry["isbn13"] == "9780439023481"
    assert entry["rating"] == 4
    assert entry["review"] == "Gripping.\n\nWould read again & again."
    assert entry["shelves"] == [
        {"name": "Read", "position": None},
        {"name": "dystopia", "position": 3},
        {"name": "favorites", "position": 12},
    ]
    assert entry["date_added"] == "2017-03-15"
    assert entry["notes"] == []
    assert library.rows[0]["ISBN"] == '="0439023483"'  # the row as written is kept for the report


def test_storygraph_row_rounds_fractional_stars_and_says_so():
    data = storygraph_file(
        [
            storygraph_row(
                HARRY_POTTER, **{"Star Rating": "3.75", "Read Status": "to-read", "Tags": "cozy, magic"}
            )
        ]
    )
    library = read(data, max_rows=10)
    assert library.source == ImportSource.STORYGRAPH
    entry = library.entries[0]
    assert entry["title"] == "Harry Potter and the Philosopher's Stone"
    assert entry["author"] == "J.K. Rowling"
    assert entry["rating"] == 4
    assert entry["notes"] == ["The rating 3.75 was rounded to 4 stars (Folio keeps whole stars)."]
    assert [shelf["name"] for shelf in entry["shelves"]] == ["Want to read", "cozy", "magic"]
    assert entry["date_added"] == "2023-01-15"
    assert entry["date_read"] == "2023-02-01"


@pytest.mark.parametrize(
    ("given", "stars", "noted"),
    [
        ("0", None, False),
        ("", None, False),
        ("5", 5, False),
        ("2.5", 3, True),
        ("0.25", 1, True),
        ("7", None, True),
        ("-1", None, True),
        ("four", None, True),
        ("NaN", None, True),
    ],
)
def test_ratings_out_of_range_are_left_out_with_a_note(given, stars, noted):
    entry = read(goodreads_file([goodreads_row(HUNGER_GAMES, My_Rating=given)]), max_rows=1).entries[0]
    assert entry["rating"] == stars
    assert bool(entry["notes"]) is noted


@pytest.mark.parametrize(
    ("written", "read_as"),
    [
        ("2017/03/15", "2017-03-15"),
        ("2017-03-15", "2017-03-15"),
        ("03/15/2017", "2017-03-15"),
        ("March 15, 2017", "2017-03-15"),
        ("2017-03-15T10:20:30", "2017-03-15T10:20:30"),
        ("2017/03/15 10:20:30", "2017-03-15T10:20:30"),
    ],
)
def test_dates_in_the_services_formats_are_read(written, read_as):
    entry = read(goodreads_file([goodreads_row(HUNGER_GAMES, Date_Added=written)]), max_rows=1).entries[0]
    assert entry["date_added"] == read_as


def test_a_date_that_is_no_date_is_noted_and_left_out():
    entry = read(goodreads_file([goodreads_row(HUNGER_GAMES, Date_Added="last spring")]), max_rows=1).entries[
        0
    ]
    assert entry["date_added"] is None
    assert "last spring" in entry["notes"][0]


def test_a_shelf_name_of_300_characters_is_shortened_with_a_note():
    entry = read(goodreads_file([goodreads_row(HUNGER_GAMES, Bookshelves="x" * 300)]), max_rows=1).entries[0]
    assert [len(shelf["name"]) for shelf in entry["shelves"]] == [4, 255]  # "Read", then the long one
    assert "shortened to 255" in entry["notes"][0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"])
def test_utf8_with_or_without_bom_and_utf16_all_read(encoding):
    les_miserables = next(book for book in BOOKS if book.title == "Les Misérables")
    rows = [goodreads_row(les_miserables, My_Rating="5")]
    text = csv_bytes(GOODREADS_COLUMNS, rows).decode("utf-8")
    if encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    library = read(data, max_rows=1)
    assert library.entries[0]["title"] == "Les Misérables"
    assert library.columns[0] == "Book Id"  # no BOM left on the first column


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Title,Author\nÉmile,Zola\n".encode("latin-1"), "not UTF-8 or UTF-16"),
        (b"name,email\nAda,ada@example.com\n", "neither a Goodreads export"),
        (
            b"Book Id,Title,Author,My Rating\n1,It,Stephen King,5\n",
            "Goodreads export but lacks the columns: ISBN",
        ),
        (
            b"Title,Authors,Star Rating\nIt,Stephen King,5\n",
            "StoryGraph export but lacks the columns: ISBN/UID",
        ),
        (csv_bytes(STORYGRAPH_COLUMNS, []), "no rows"),
        (
            b'Title,Author,ISBN,ISBN13,My Rating,Exclusive Shelf\n"unclosed,quote\n' + b"x" * 200_000,
            "readable CSV",
        ),
    ],
)
def test_what_is_not_an_export_is_refused_saying_why(data, message):
    with pytest.raises(LibraryFileRefused, match=message) as refused:
        read(data, max_rows=100)
    assert refused.value.status == 400


def test_more_rows_than_the_limit_are_refused():
    rows = [goodreads_row(HUNGER_GAMES)] * 4
    assert len(read(goodreads_file(rows), max_rows=4).rows) == 4
    with pytest.raises(LibraryFileRefused, match="more than 3 rows"):
        read(goodreads_file(rows), max_rows=3)


def test_formula_cells_are_neutralised_when_written_and_read_back_as_written():
    formulas = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "plain", "'quoted"]
    assert [spreadsheet_safe(value) for value in formulas] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "plain",
        "'quoted",
    ]
    row = goodreads_row(HUNGER_GAMES, My_Review="=cmd|' /C calc'!A0", Bookshelves="-dark")
    text = csv_text(GOODREADS_COLUMNS, [[row[column] for column in GOODREADS_COLUMNS]])
    assert "'=cmd" in text and "'-dark" in text
    entry = read(text.encode(), max_rows=1).entries[0]
    assert entry["review"] == "=cmd|' /C calc'!A0"
    assert entry["shelves"][1]["name"] == "-dark"
