"""What each app keeps of a reader, for the reader's data export and for deleting an account.

Accounts imports no other app. Each app that keeps a reader's data registers, from its ``AppConfig.ready``,
a section of the export — a function of the user giving the objects, and the serializer that writes them
(and documents them in the OpenAPI schema) — and, where its rows carry files beyond the database, a
clean-up: given the user before the delete, it returns what to run after the commit. The rows themselves
go through the database's own cascades.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.models import User


@dataclass(frozen=True)
class Section:
    name: str
    read: Callable[[User], Any]
    serializer: type  # a DRF serializer class
    many: bool = True


Cleanup = Callable[[User], Callable[[], None] | None]

_sections: dict[str, Section] = {}
_cleanups: dict[str, Cleanup] = {}


def register_section(section: Section) -> None:
    _sections[section.name] = section


def register_cleanup(name: str, cleanup: Cleanup) -> None:
    _cleanups[name] = cleanup


def sections() -> list[Section]:
    return list(_sections.values())


def cleanups() -> list[Cleanup]:
    return list(_cleanups.values())
