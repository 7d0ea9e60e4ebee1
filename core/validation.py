from collections.abc import Iterable

from django.core.exceptions import ValidationError

CANNOT_CHANGE = "This field cannot be changed."


def reject_fields_outside(
    fields: Iterable[str], allowed: frozenset[str], message: str = CANNOT_CHANGE
) -> None:
    """Services take field values as keywords; anything outside ``allowed`` (a tier, a counter, a field
    that does not exist) is refused by name, so no entry point can mass-assign it."""
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), message))
