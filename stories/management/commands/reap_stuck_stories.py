from django.conf import settings
from django.core.management.base import BaseCommand

from stories.services import stories_fail_stuck, story_media_purge_orphans


class Command(BaseCommand):
    help = (
        "Fail stories that made no progress for --minutes (default: STORY_STUCK_AFTER_SECONDS), and remove "
        "audio left by stories deleted outside Django (raw SQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=settings.STORY_STUCK_AFTER_SECONDS // 60)

    def handle(self, *args, minutes: int, **options):
        failed = stories_fail_stuck(older_than_seconds=minutes * 60)
        self.stdout.write(f"Failed {failed} stuck story(ies).")
        removed = story_media_purge_orphans()
        self.stdout.write(f"Removed the audio of {removed} deleted story(ies).")
