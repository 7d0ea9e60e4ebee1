import threading
from collections.abc import Callable

from django.db import connection


def run_concurrently(functions: list[Callable[[], object]]) -> list:
    """Run each function in its own thread, all released at once by a barrier; each thread has its own
    database connection, closed at the end. Returns results in order (an exception counts as a result)."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index: int, function: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = function()
        except Exception as exc:  # returned so the test can assert on it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
