"""import_ratings on a million ratings, next to a raw COPY of the same rows into `reviews`, in one run.

The file is generated (once, with a fixed seed) from the real per-star histograms of goodbooks-10k: each
book gets ratings in proportion to its real ratings count, with stars drawn from its real histogram, from
53,424 readers. The target: import_ratings reaches at least 0.8 of the rows per second of the raw COPY
(the figure is also left in var/bench/import_ratings.json for bench/results.md).

    .venv/bin/python bench/import_ratings.py [--rows 1000000]
"""

import argparse
import csv
import io
import json
from io import StringIO

from _django import ROOT, setup, timed

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=1_000_000)
args = parser.parse_args()

setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from catalog.models import Book  # noqa: E402
from reviews.demo import histogram_rating_lines  # noqa: E402

DATASET = ROOT / "catalog" / "data" / "goodbooks-10k"
READERS = 53_424
TARGET = 0.8
OUT = ROOT / "var" / "bench" / f"ratings-{args.rows}.csv"


def generate() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = histogram_rating_lines(DATASET / "books.csv", rows=args.rows, readers=READERS)
    OUT.write_text("".join(lines))


def reset_reviews() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reviews")


def resolved_rows() -> str:
    """The same rows with account and book ids already resolved: what a raw COPY needs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, id FROM users WHERE email LIKE 'reader%%@example.invalid'")
        users = {email: str(pk) for email, pk in cursor.fetchall()}
    books = {str(s): str(pk) for s, pk in Book.objects.values_list("source_book_id", "id")}
    buffer = io.StringIO()
    with OUT.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for user_id, book_id, rating in reader:
            buffer.write(f"{users[f'reader{user_id}@example.invalid']}\t{books[book_id]}\t{rating}\n")
    return buffer.getvalue()


if Book.objects.filter(source_book_id__isnull=False).count() < 10_000:
    call_command(
        "import_books", str(DATASET / "books.csv"), quiet_issues=True, stdout=StringIO(), stderr=StringIO()
    )
if not OUT.exists():
    print(f"generating {OUT.relative_to(ROOT)} …")
    generate()
rows = sum(1 for _ in OUT.open()) - 1

results: dict[str, float] = {}
reset_reviews()
with connection.cursor() as cursor:
    cursor.execute("DELETE FROM users WHERE email LIKE 'reader%%@example.invalid'")
with timed(results, "import_ratings (new readers and reviews)"):
    call_command("import_ratings", str(OUT), stdout=StringIO(), stderr=StringIO())
with timed(results, "import_ratings again (all unchanged)"):
    call_command("import_ratings", str(OUT), stdout=StringIO(), stderr=StringIO())
payload = resolved_rows()
reset_reviews()
with (
    timed(results, "raw COPY into reviews"),
    connection.cursor() as cursor,
    cursor.copy("COPY reviews (user_id, book_id, rating) FROM STDIN") as copy,
):
    copy.write(payload)
with connection.cursor() as cursor:
    # As import_ratings does: a TRUNCATE left the planner thinking the table empty, and the scripts that
    # run next on this data (admin pages, search, the API) would measure that instead.
    cursor.execute("ANALYZE reviews")

call_command("recompute_ratings", check=True, stdout=StringIO())  # aggregates exact after both paths
copy_rate = rows / results["raw COPY into reviews"]
print(f"{rows:,} ratings")
for name, seconds in results.items():
    rate = rows / seconds
    print(f"{name:<44} {seconds:7.2f} s  {rate:>10,.0f} rows/s  {rate / copy_rate:5.2f}× COPY rate")
first = rows / results["import_ratings (new readers and reviews)"] / copy_rate
print(
    f"import_ratings reaches {first:.2f} of the raw COPY rate (target ≥ {TARGET}): {'OK' if first >= TARGET else 'MISSED'}"
)
(ROOT / "var" / "bench" / "import_ratings.json").write_text(
    json.dumps({"rows": rows, "import_seconds": results["import_ratings (new readers and reviews)"],
                "copy_seconds": results["raw COPY into reviews"], "ratio": first})
)  # fmt: skip
