"""Import of the full goodbooks-10k books.csv, next to a raw COPY of the same rows, in one run.

.venv/bin/python bench/import_books.py
"""

import csv
import io
import sys
from io import StringIO

from _django import ROOT, setup, timed

setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from catalog.models import Book  # noqa: E402

BOOKS_CSV = ROOT / "catalog" / "data" / "goodbooks-10k" / "books.csv"


def truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE books CASCADE")


def raw_copy() -> None:
    """The floor: the same rows, already clean, straight into the table with COPY."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with BOOKS_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            writer.writerow([row["title"], row["authors"][:300], row["language_code"], row["book_id"]])
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY books (title, author, language_code, source_book_id) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (language_code))"
        ) as copy,
    ):
        copy.write(buffer.getvalue())


results: dict[str, float] = {}
truncate()
with timed(results, "raw COPY of 10,000 rows"):
    raw_copy()
truncate()
with timed(results, "import_books, empty catalog (10,000 created)"):
    call_command("import_books", str(BOOKS_CSV), quiet_issues=True, stdout=StringIO(), stderr=StringIO())
assert Book.objects.count() == 10_000
with timed(results, "import_books again (10,000 unchanged)"):
    call_command("import_books", str(BOOKS_CSV), quiet_issues=True, stdout=StringIO(), stderr=StringIO())

floor = results["raw COPY of 10,000 rows"]
for name, seconds in results.items():
    print(f"{name:<48} {seconds:6.2f} s   {10_000 / seconds:>8,.0f} rows/s   {seconds / floor:5.1f}× COPY")
sys.exit(0)
