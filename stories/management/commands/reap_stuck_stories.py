from django.conf import settings
from django.core.management.base import BaseCommand

from stories.services import stories_fail_stuck


class Command(BaseCommand):
    help = "Fail stories that made no progress for --minutes (default: STORY_STUCK_AFTER_SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=settings.STORY_STUCK_AFTER_SECONDS // 60)

    def handle(self, *args, minutes: int, **options):
        failed = stories_fail_stuck(older_than_seconds=minutes * 60)
        self.stdout.write(f"Failed {failed} stuck story(ies).")
