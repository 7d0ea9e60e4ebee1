from django.core.management.base import BaseCommand, CommandError

from reviews.services import ratings_recompute


class Command(BaseCommand):
    help = "Compare every book's rating aggregates with the reviews table; repair them unless --check."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report books whose aggregates differ; exit 1 if any do.",
        )

    def handle(self, *args, check: bool, **options):
        drift = ratings_recompute(check_only=check)
        for book in drift:
            self.stdout.write(
                f"{book['book_id']}  {book['title'][:60]}: stored {book['stored']}, reviews say {book['actual']}"
            )
        if not drift:
            self.stdout.write(self.style.SUCCESS("Every book's rating aggregates match its reviews."))
        elif check:
            raise CommandError(f"{len(drift)} book(s) have aggregates that differ from their reviews.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Repaired {len(drift)} book(s)."))
