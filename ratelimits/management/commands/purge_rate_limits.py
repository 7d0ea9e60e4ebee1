from datetime import timedelta

from django.core.management.base import BaseCommand

from ratelimits.services import rate_limit_purge_expired


class Command(BaseCommand):
    help = "Delete rate-limit and sign-in counters of windows that ended long ago (run it daily, e.g. from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=24)

    def handle(self, *args, older_than_hours: int, **options):
        deleted = rate_limit_purge_expired(older_than=timedelta(hours=older_than_hours))
        self.stdout.write(f"Deleted {deleted} expired counter(s).")
