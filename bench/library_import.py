"""A reader's library import at the limit, on the scale data set: how long each step takes.

The file is a Goodreads export made from the real goodbooks-10k books: every catalog book once (a quarter
of them without ISBNs, so they match by title and author), then, up to ``--rows``, books the catalog does
not have (each goes through the typo-tolerant title search and comes back unmatched with candidates: the
slowest path). It prints the upload's check (what the request waits for), reading the rows, matching,
applying and undoing, each with rows per second.

    .venv/bin/python bench/library_import.py [--rows 50000]
"""

import argparse
import time

from _django import setup

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=50_000)
args = parser.parse_args()

setup()

from django.conf import settings  # noqa: E402

from accounts.models import User  # noqa: E402
from reviews import library_files, library_services  # noqa: E402
from reviews.models import ImportStatus, LibraryImport  # noqa: E402
from tests.reviews.library_exports import goodreads_file, goodreads_row, real_books  # noqa: E402


def export_file(rows: int) -> bytes:
    books = real_books()
    lines = []
    for i in range(rows):
        book = books[i % len(books)]
        cells = {
            "My_Rating": str(1 + i % 5),
            "Bookshelves": f"shelf-{i % 7}",
            "Bookshelves_with_positions": f"shelf-{i % 7} (#{i // 7 + 1})",
            "My_Review": "Worth it.<br/>Really." if i % 3 == 0 else "",
        }
        if i % 4 == 0:
            cells.update(ISBN='=""', ISBN13='=""')
        if i >= len(books):  # a book this catalog lacks
            cells.update(
                Title=f"Unshelved Work Number {i}", Author=f"Writer {i % 997}", ISBN='=""', ISBN13='=""'
            )
        lines.append(goodreads_row(book, **cells))
    return goodreads_file(lines)


def main() -> None:
    data = export_file(args.rows)
    reader, _ = User.objects.get_or_create(email="bench-library-import@example.com")
    LibraryImport.objects.filter(user=reader).delete()
    steps: dict[str, float] = {}

    start = time.perf_counter()
    library_files.survey(data, max_rows=settings.LIBRARY_IMPORT_MAX_ROWS)
    steps["check (the request)"] = time.perf_counter() - start
    library_import = library_services.library_import_start(user=reader, file_name="bench.csv", data=data)
    claimed = library_services._claim(library_import.pk)
    assert claimed is not None
    start = time.perf_counter()
    library_services._read_rows(claimed)
    steps["read rows"] = time.perf_counter() - start
    start = time.perf_counter()
    library_services._match_remaining(claimed)
    steps["match"] = time.perf_counter() - start
    library_services._renew(claimed, status=ImportStatus.APPLYING)
    start = time.perf_counter()
    library_services._apply_all(claimed)
    steps["apply"] = time.perf_counter() - start
    library_import.refresh_from_db()
    start = time.perf_counter()
    library_services.library_import_undo(library_import=library_import)
    steps["undo"] = time.perf_counter() - start

    print(
        f"{args.rows:,} rows ({len(data) / 1e6:.1f} MB): {library_import.matched_count:,} matched, "
        f"{library_import.unmatched_count:,} unmatched, {library_import.created_count:,} created"
    )
    for name, seconds in steps.items():
        print(f"  {name:22} {seconds:7.2f} s  {args.rows / seconds:9,.0f} rows/s")
    reader.delete()


main()
