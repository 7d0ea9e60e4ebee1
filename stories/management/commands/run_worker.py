import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from core.sweepers import sweepers

logger = logging.getLogger(__name__)


class Command(DbWorkerCommand):
    help = (
        "Run background tasks, exactly as db_worker does, and twice per lease recover the work whose worker "
        "died (its lease ran out): stories are failed so they can be retried, library imports are queued "
        "again to resume."
    )

    def handle(self, *args, **options):
        stop = threading.Event()
        sweeper = threading.Thread(target=self._sweep_until, args=(stop,), name="lease-sweeper", daemon=True)
        sweeper.start()
        try:
            self._run_through_outages(*args, **options)
        finally:
            stop.set()
            sweeper.join()

    def _run_through_outages(self, *args, **options) -> None:
        """db_worker exits on a database error; a restart of PostgreSQL should not need a restart of
        every worker, so wait and carry on (a task it was running is left to the lease sweeper)."""
        pause = 1.0
        while True:
            try:
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError):
                logger.warning("the database is unavailable; the worker tries again in %.0f s", pause)
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, 30.0)

    def _sweep_until(self, stop: threading.Event) -> None:
        try:
            while True:
                for name, sweep in sweepers().items():
                    try:
                        found = sweep()
                        if found:
                            logger.warning("recovered %d of %s whose worker stopped", found, name)
                    except DatabaseError:
                        logger.exception("could not sweep for %s whose worker stopped", name)
                        connection.close()  # a fresh connection next round
                # Twice per lease: a dead worker's work is recovered at most one and a half leases after it died.
                lease = min(settings.STORY_LEASE_SECONDS, settings.LIBRARY_IMPORT_LEASE_SECONDS)
                if stop.wait(lease / 2):
                    return
        finally:
            connection.close()
