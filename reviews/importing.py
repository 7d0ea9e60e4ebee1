"""Bulk load of ratings in the goodbooks ``user_id,book_id,rating`` shape through PostgreSQL COPY.

Rows are checked in Python (so every rejected row is reported with its line number), streamed with COPY
into a temporary staging table, then moved into ``reviews`` with one ``INSERT … SELECT … ON CONFLICT``.
The statement-level rating triggers then apply one aggregate update per book for the whole load.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from accounts.services import READER_EMAIL, placeholder_readers_ensure
from catalog.importing import ImportFileError, require_columns
from catalog.models import Book
from core.reports import WriteCounts

REQUIRED_COLUMNS = ("user_id", "book_id", "rating")
COPY_CHUNK_ROWS = 50_000
ANALYZE_AFTER_ROWS = 10_000


@dataclass
class RatingsReport(WriteCounts):
    rows: int = 0
    duplicates: int = 0
    users_created: int = 0
    issues: list[str] = field(default_factory=list)

    summary_fields = ("created", "updated", "unchanged", "duplicates", "rejected")

    def summary(self) -> str:
        return f"{self.rows} rows: {super().summary()}; {self.users_created} reader accounts created"


def _reject(report: RatingsReport, line: int, reason: str) -> None:
    report.rejected += 1
    report.issues.append(f"line {line}: rejected: {reason}")


def ratings_import(
    lines: Iterable[str], *, on_row: Callable[[], None] | None = None, dry_run: bool = False
) -> RatingsReport:
    report = RatingsReport()
    reader = csv.reader(lines)
    header = [column.strip() for column in next(reader, [])]
    require_columns(header, REQUIRED_COLUMNS)
    user_col, book_col, rating_col = (header.index(column) for column in REQUIRED_COLUMNS)
    books = {
        str(source): str(pk)
        for source, pk in Book.objects.filter(source_book_id__isnull=False).values_list(
            "source_book_id", "id"
        )
    }

    staged: list[str] = []
    source_users: set[int] = set()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE ratings_staging (source_user_id integer, book_id uuid, rating smallint, line integer)"
            " ON COMMIT DROP"
        )

        def flush() -> None:
            with cursor.copy("COPY ratings_staging FROM STDIN") as copy:
                copy.write("".join(staged))
            staged.clear()

        try:
            for row in reader:
                line = reader.line_num
                report.rows += 1
                if on_row:
                    on_row()
                try:
                    source_user, source_book, rating_raw = (
                        row[user_col].strip(),
                        row[book_col].strip(),
                        row[rating_col].strip(),
                    )
                except IndexError:
                    _reject(report, line, "too few columns")
                    continue
                if not source_user.isdigit():
                    _reject(report, line, f"user_id “{source_user}” is not a positive whole number")
                    continue
                book_id = books.get(source_book)
                if book_id is None:
                    _reject(report, line, f"book_id “{source_book}” is not an imported book")
                    continue
                if rating_raw not in ("1", "2", "3", "4", "5"):
                    _reject(report, line, f"rating “{rating_raw}” is not a whole number from 1 to 5")
                    continue
                source_users.add(int(source_user))
                staged.append(f"{int(source_user)}\t{book_id}\t{rating_raw}\t{line}\n")
                if len(staged) >= COPY_CHUNK_ROWS:
                    flush()
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportFileError(f"Malformed CSV after line {reader.line_num}: {exc}") from exc
        if staged:
            flush()

        report.users_created = placeholder_readers_ensure(source_user_ids=source_users)
        cursor.execute(
            """
            WITH latest AS (
                SELECT DISTINCT ON (source_user_id, book_id) source_user_id, book_id, rating
                FROM ratings_staging ORDER BY source_user_id, book_id, line DESC
            ), written AS (
                INSERT INTO reviews (user_id, book_id, rating)
                SELECT u.id, latest.book_id, latest.rating
                FROM latest JOIN users u ON u.email = replace(%s, '{}', latest.source_user_id::text)
                ON CONFLICT (user_id, book_id) DO UPDATE
                    SET rating = EXCLUDED.rating, updated_at = now()
                    WHERE reviews.rating <> EXCLUDED.rating
                RETURNING (xmax = 0) AS inserted
            )
            SELECT (SELECT count(*) FROM latest),
                   count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM written
            """,
            [READER_EMAIL],
        )
        distinct, report.created, report.updated = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM ratings_staging")
        report.duplicates = cursor.fetchone()[0] - distinct
        report.unchanged = distinct - report.created - report.updated
        # Dropped here too: ON COMMIT DROP does not fire when the caller's transaction goes on.
        cursor.execute("DROP TABLE ratings_staging")
        cursor.execute("DROP TABLE IF EXISTS ratings_source_users")
        if dry_run:
            transaction.set_rollback(True)
        elif report.created + report.updated + report.users_created >= ANALYZE_AFTER_ROWS:
            # Until autovacuum's next pass the planner would still see the tables as they were before a
            # bulk load (a users table of one row makes every join to it a loop over the whole table).
            cursor.execute("ANALYZE users, reviews")
    return report


def count_data_lines(handle: io.TextIOBase) -> int:
    total = sum(1 for _ in handle) - 1
    handle.seek(0)
    return max(total, 0)
