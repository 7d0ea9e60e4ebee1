"""What a bulk write reports back: counts its commands print and its tests read."""

from dataclasses import dataclass
from typing import ClassVar


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    # The counts in the order the summary says them; a subclass adds its own where they read best.
    summary_fields: ClassVar[tuple[str, ...]] = ("created", "updated", "unchanged", "rejected")

    def summary(self) -> str:
        return ", ".join(f"{name} {getattr(self, name)}" for name in self.summary_fields)
