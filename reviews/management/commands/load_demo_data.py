from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from catalog.models import Book
from reviews.demo import histogram_rating_lines
from reviews.importing import ratings_import

DATASET = Path(settings.BASE_DIR) / "catalog" / "data" / "goodbooks-10k"
# Enough for popularity, averages and histograms to mean something on a fresh machine, in seconds.
DEMO_RATINGS = 100_000
DEMO_READERS = 20_000


class Command(BaseCommand):
    # In reviews, not catalog: it loads ratings too, and the catalog never depends on reviews.

    help = "Load the goodbooks-10k demo catalog and about 100,000 ratings once; later runs do nothing."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", type=Path, default=DATASET)

    def handle(self, *args, dataset: Path, **options):
        dataset = Path(dataset)
        if Book.objects.exists():
            self.stdout.write("Demo data already loaded.")
            return
        self.stdout.write(f"Importing the demo catalog from {dataset} …")
        call_command(
            "import_books",
            str(dataset / "books.csv"),
            tags=str(dataset / "samples" / "book_tags.csv"),
            tag_names=str(dataset / "tags.csv"),
            quiet_issues=True,
            stdout=self.stdout,
        )
        self.stdout.write(f"Drawing {DEMO_RATINGS:,} ratings from each book's real per-star histogram …")
        lines = histogram_rating_lines(dataset / "books.csv", rows=DEMO_RATINGS, readers=DEMO_READERS)
        report = ratings_import(lines)
        self.stdout.write(report.summary())
        # Fresh statistics, so the planner picks the search indexes at once rather than after autovacuum.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE books, reviews, users")
