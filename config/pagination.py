from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """Default list pagination: 20 per page; ``page_size`` is clamped to 100.

    A ``page`` that is not a positive whole number is a 400 naming ``page``; a page past the end stays
    DRF's 404, since the same number may be valid once the list grows.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        page_number = super().get_page_number(request, paginator)
        if page_number in self.last_page_strings:
            return page_number
        if not (isinstance(page_number, int) or (page_number.isascii() and page_number.isdigit())):
            raise ValidationError({self.page_query_param: ["A page number must be a positive whole number."]})
        if int(page_number) < 1:
            raise ValidationError({self.page_query_param: ["Page numbers start at 1."]})
        return page_number


class NewestFirstCursorPagination(pagination.CursorPagination):
    """Keyset pagination on ``(-created_at, -id)``: deep pages cost what the first does, no COUNT."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")

    def decode_cursor(self, request):
        # DRF answers a malformed cursor with 404 and trusts the position inside it; both are bad input.
        invalid = ValidationError({self.cursor_query_param: ["This cursor is not valid."]})
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise invalid from exc
        if cursor and cursor.position is not None and not _is_datetime(cursor.position):
            raise invalid
        return cursor


def _is_datetime(text: str) -> bool:
    try:
        return parse_datetime(text) is not None
    except ValueError:  # well-formed but impossible, like month 13
        return False
