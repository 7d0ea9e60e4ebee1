import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from catalog import services
from catalog.importing import (
    BOOK_COLUMNS,
    BOOK_TAG_COLUMNS,
    TAG_COLUMNS,
    ImportFileError,
    ImportReport,
    parse_book_row,
    read_csv,
)


class _DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import books from a goodbooks-10k books.csv (idempotent: matches by ISBN-13, else by book_id). "
        "With --tags, also map user tags that name a genre (book_tags.csv + tags.csv) to genres."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="books.csv")
        parser.add_argument("--tags", type=Path, help="book_tags.csv (goodreads_book_id,tag_id,count)")
        parser.add_argument(
            "--tag-names", type=Path, help="tags.csv (tag_id,tag_name); default: tags.csv beside books.csv"
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument("--quiet-issues", action="store_true", help="Print the summary only.")

    def handle(self, *args, path: Path, tags: Path | None, tag_names: Path | None, dry_run: bool, **options):
        report = ImportReport()
        # call_command passes keyword options through without argparse's type conversion.
        path, tags, tag_names = (
            Path(path),
            Path(tags) if tags else None,
            Path(tag_names) if tag_names else None,
        )
        try:
            rows = self._read_rows(path, report)
            tag_rows, names = self._read_tags(path, tags, tag_names) if tags else (None, None)
            with transaction.atomic():
                self._write(rows, tag_rows, names, report)
                if dry_run:
                    raise _DryRunRollback
        except ImportFileError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        except _DryRunRollback:
            pass
        except OSError as exc:
            raise CommandError(f"Cannot read {exc.filename}: {exc.strerror}. Nothing was imported.") from exc

        if not options["quiet_issues"]:
            for issue in report.issues:
                self.stderr.write(str(issue))
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary()}"))
        if report.genre_links:
            self.stdout.write(f"{report.genre_links} book–genre links from tags.")

    def _read_rows(self, path: Path, report: ImportReport):
        with path.open(newline="", encoding="utf-8") as handle:
            raw_rows = list(read_csv(handle, BOOK_COLUMNS))
        rows = []
        progress = tqdm(
            raw_rows, desc="Reading", unit="row", disable=not sys.stderr.isatty(), file=sys.stderr
        )
        for line, raw in progress:
            parsed = parse_book_row(line, raw, report.issues)
            if parsed is None:
                report.rejected += 1
            else:
                rows.append(parsed)
        return rows

    def _read_tags(self, books_path: Path, tags: Path, tag_names: Path | None):
        tag_names = tag_names or books_path.with_name("tags.csv")
        with tag_names.open(newline="", encoding="utf-8") as handle:
            names = {row["tag_id"].strip(): row["tag_name"] for _line, row in read_csv(handle, TAG_COLUMNS)}
        with tags.open(newline="", encoding="utf-8") as handle:
            tag_rows = list(read_csv(handle, BOOK_TAG_COLUMNS))
        return tag_rows, names

    def _write(self, rows, tag_rows, names, report: ImportReport) -> None:
        progress = tqdm(desc="Writing", unit="book", disable=not sys.stderr.isatty(), file=sys.stderr)
        services.books_import(
            rows=rows, tag_rows=tag_rows, tag_names=names, report=report, on_progress=progress
        )
        progress.close()
