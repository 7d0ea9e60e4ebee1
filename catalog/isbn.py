"""ISBN normalisation: accept ISBN-10 or ISBN-13 with hyphens or spaces, validate, return ISBN-13."""

import re

_SEPARATORS = re.compile(r"[\s-]+")


class InvalidIsbn(ValueError):
    pass


def _isbn10_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        value = 10 if (char in "Xx" and position == 9) else int(char) if char.isdigit() else None
        if value is None:
            return False
        total += (10 - position) * value
    return total % 11 == 0


def _isbn13_check_digit(first12: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def normalize_isbn(raw: str, *, repair_leading_zeros: bool = False) -> str:
    """Return the ISBN-13 for ``raw`` or raise InvalidIsbn saying why.

    ``repair_leading_zeros`` left-pads short all-digit values to ten digits, for sources that stored
    ISBN-10 as a number and so lost its leading zeros.
    """
    value = _SEPARATORS.sub("", raw or "").upper()
    if not value:
        raise InvalidIsbn("ISBN is empty.")
    if repair_leading_zeros and value.isdigit() and 7 <= len(value) < 10:
        value = value.zfill(10)
    if len(value) == 10:
        if not _isbn10_is_valid(value):
            raise InvalidIsbn(f"“{raw}” is not a valid ISBN-10 (bad check digit or characters).")
        first12 = "978" + value[:9]
        return first12 + _isbn13_check_digit(first12)
    if len(value) == 13 and value.isdigit():
        if not value.startswith(("978", "979")):
            raise InvalidIsbn(f"“{raw}” is not an ISBN-13: it must start with 978 or 979.")
        if _isbn13_check_digit(value[:12]) != value[12]:
            raise InvalidIsbn(f"“{raw}” is not a valid ISBN-13 (bad check digit).")
        return value
    raise InvalidIsbn(f"“{raw}” is not an ISBN: expected 10 or 13 digits.")
