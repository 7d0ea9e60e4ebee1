import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32
TOO_DEEP = f"nested deeper than {MAX_JSON_DEPTH} levels"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what no field can hold before it reaches a serializer.

    Python's decoder raises ``RecursionError`` (not ``ValueError``) on a body like ``[[[[…`` a hundred
    thousand levels deep, which DRF would let through as a 500, and no Folio field needs more than a
    few levels. A lone surrogate (``"\\ud800"``) decodes to a string PostgreSQL cannot store, and in a
    JSON field's keys or nested values no serializer field would look at it.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(f"JSON parse error - {TOO_DEEP}.") from exc
        problem = json_problem(data)
        if problem:
            raise ParseError(f"JSON parse error - {problem}.")
        return data


def json_problem(value) -> str | None:
    """What makes decoded JSON unacceptable (too deep, a lone surrogate), or None. Not recursive."""
    pending = [(value, 0, "")]
    while pending:
        item, depth, path = pending.pop()
        where = path or "the top level"
        if isinstance(item, str):
            if match := LONE_SURROGATE.search(item):
                return f"lone surrogate U+{ord(match.group()):04X} in {where}"
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= MAX_JSON_DEPTH:
            return TOO_DEEP
        if isinstance(item, list):
            pending.extend((child, depth + 1, f"{path}[{index}]") for index, child in enumerate(item))
            continue
        for key, child in item.items():
            if match := LONE_SURROGATE.search(key):
                return f"lone surrogate U+{ord(match.group()):04X} in a key of {where}"
            pending.append((child, depth + 1, f"{path}.{key}" if path else key))
    return None
