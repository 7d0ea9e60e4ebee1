import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.importing import ImportFileError
from reviews.importing import count_data_lines, ratings_import


class Command(BaseCommand):
    help = (
        "Load ratings (user_id,book_id,rating) through COPY. Source users become reader<id>@example.invalid "
        "accounts; book ids are the imported books' source ids. Idempotent; bad rows are reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--max-issues", type=int, default=200, help="How many issues to print (default 200)."
        )

    def handle(self, *args, path, dry_run: bool, max_issues: int, **options):
        path = Path(path)
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                total = count_data_lines(handle)
                with tqdm(total=total, unit="row", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
                    report = ratings_import(handle, on_row=lambda: bar.update(1), dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        for issue in report.issues[:max_issues]:
            self.stderr.write(issue)
        if len(report.issues) > max_issues:
            self.stderr.write(f"… and {len(report.issues) - max_issues} more issues.")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
