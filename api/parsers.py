from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.json import TOO_DEEP, json_problem


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what no field can hold before it reaches a serializer.

    Python's decoder raises ``RecursionError`` (not ``ValueError``) on a body like ``[[[[…`` a hundred
    thousand levels deep, which DRF would let through as a 500, and no Folio field needs more than a
    few levels. ``"\\u0000"`` and a lone surrogate (``"\\ud800"``) decode to strings PostgreSQL cannot
    store, and in a JSON field's keys or nested values no serializer field would look at them.
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
