"""What PostgreSQL cannot store in JSON (or text), judged without DRF: the API's parser and the admin's JSON
fields both refuse it."""

import re

MAX_JSON_DEPTH = 32
TOO_DEEP = f"nested deeper than {MAX_JSON_DEPTH} levels"
# PostgreSQL text and jsonb cannot hold NUL, and UTF-8 cannot encode a lone surrogate.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def json_problem(value) -> str | None:
    """What makes decoded JSON unacceptable (too deep, NUL, a lone surrogate), or None. Not recursive."""
    pending = [(value, 0, "")]
    while pending:
        item, depth, path = pending.pop()
        where = path or "the top level"
        if isinstance(item, str):
            if match := UNSTORABLE.search(item):
                return f"{_describe(match.group())} in {where}"
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= MAX_JSON_DEPTH:
            return TOO_DEEP
        if isinstance(item, list):
            pending.extend((child, depth + 1, f"{path}[{index}]") for index, child in enumerate(item))
            continue
        for key, child in item.items():
            if match := UNSTORABLE.search(key):
                return f"{_describe(match.group())} in a key of {where}"
            pending.append((child, depth + 1, f"{path}.{key}" if path else key))
    return None


def _describe(character: str) -> str:
    return "NUL character" if character == "\x00" else f"lone surrogate U+{ord(character):04X}"
