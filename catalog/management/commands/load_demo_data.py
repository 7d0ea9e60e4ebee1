from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from catalog.models import Book

DATASET = Path(settings.BASE_DIR) / "catalog" / "data" / "goodbooks-10k"


class Command(BaseCommand):
    help = "Load the goodbooks-10k demo catalog and its sample ratings once; later runs do nothing."

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
        call_command("import_ratings", str(dataset / "samples" / "ratings.csv"), stdout=self.stdout)
