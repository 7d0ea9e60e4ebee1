"""Recovery of work a stopped worker left behind. Each app registers, from its ``AppConfig.ready``, a
function that finds its own lost work (a lease that ran out) and fails or re-queues it, returning how much
it found; ``run_worker`` runs them all on a timer, beside the tasks."""

from collections.abc import Callable

_sweepers: dict[str, Callable[[], int]] = {}


def register(name: str, sweeper: Callable[[], int]) -> None:
    _sweepers[name] = sweeper


def sweepers() -> dict[str, Callable[[], int]]:
    return dict(_sweepers)
