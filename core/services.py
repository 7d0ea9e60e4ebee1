"""The two steps every app's services share: updating the fields a caller may change, and inserting a
row whose uniqueness a concurrent write may have taken first."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from core.validation import CANNOT_CHANGE, reject_fields_outside

T = TypeVar("T")


class _Unset:
    """A parameter the caller did not pass (``None`` may be a value to store)."""

    def __repr__(self) -> str:
        return "UNSET"


# Typed as Any so that ``title: str = UNSET`` type-checks; ``given`` drops it.
UNSET: Any = _Unset()


def given(arguments: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Of ``names``, the arguments a caller actually passed to an update service.

    Called as ``given(locals(), FIELDS)`` on a service's first line, where ``locals()`` is exactly its
    parameters: the list of fields is then written once, and a field missing from the parameters fails
    the first test that updates anything.
    """
    return {name: arguments[name] for name in names if arguments[name] is not UNSET}


M = TypeVar("M", bound=models.Model)


def model_update(
    *,
    instance: M,
    fields: frozenset[str],
    data: dict,
    clean_exclude: tuple[str, ...] = (),
    refusal: str = CANNOT_CHANGE,
) -> M:
    """Set ``data`` on ``instance`` — names outside ``fields`` are refused by name, so no entry point can
    mass-assign a tier or a counter — validate the model, and save those columns only (with
    ``updated_at`` when the model keeps one)."""
    reject_fields_outside(data, fields, refusal)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=list(clean_exclude), validate_unique=False)
    stamped = (
        ["updated_at"] if any(field.name == "updated_at" for field in instance._meta.concrete_fields) else []
    )
    instance.save(update_fields=[*data, *stamped])
    return instance


def insert_or_conflict(save: Callable[[], T], *, conflict: Exception) -> T:
    """Run ``save`` in a savepoint; an integrity error (a concurrent write took the unique value after the
    service's own check) becomes ``conflict``, and the caller's transaction goes on."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as exc:
        raise conflict from exc
