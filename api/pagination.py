import base64
import binascii
import json
import uuid
from collections.abc import Callable
from datetime import datetime

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.dateparse import parse_datetime
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from api.serializers import row_value

ROW_COUNT = "rows_in_all_pages"


class CountInRowPaginator(Paginator):
    """Django's paginator, with one query instead of two when the queryset annotates ``ROW_COUNT`` (a
    ``count(*) OVER ()``), or compiled pages carry it: the count is read from the page's own rows. A costly
    query (a ranked search) then runs once; a page past the end, having no rows, falls back to a count."""

    def page(self, number):
        query = getattr(self.object_list, "query", None)
        counted_in_rows = getattr(self.object_list, "counted_in_rows", None) == ROW_COUNT
        if not counted_in_rows and (query is None or ROW_COUNT not in query.annotations):
            return super().page(number)
        number = self.validate_number_without_count(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if rows:
            self.__dict__["count"] = row_value(rows[0], ROW_COUNT)
        self.validate_number(number)  # past the end: EmptyPage, from the fallback count
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]  # Django's own factory

    def validate_number_without_count(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if (number - 1) * self.per_page > 2**63 - 1:  # PostgreSQL's OFFSET is a bigint: past any list's end
            raise EmptyPage(self.error_messages["no_results"])
        return number


class PageNumberPagination(pagination.PageNumberPagination):
    """Default list pagination: 20 per page; ``page_size`` is clamped to 100.

    A ``page`` that is not a positive whole number is a 400 naming ``page``; a page past the end stays
    DRF's 404, since the same number may be valid once the list grows.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CountInRowPaginator

    def get_page_size(self, request) -> int:
        return page_size_from(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1  # what get_page_number and get_page_size enforce
        return parameters

    last_page_strings = ()  # the schema says an integer: "last" is not one

    def get_page_number(self, request, paginator):
        page_number = request.query_params.get(self.page_query_param, 1)
        if not (isinstance(page_number, int) or (page_number.isascii() and page_number.isdigit())):
            raise ValidationError({self.page_query_param: ["A page number must be a positive whole number."]})
        if int(page_number) < 1:
            raise ValidationError({self.page_query_param: ["Page numbers start at 1."]})
        return page_number


class NewestFirstCursorPagination(pagination.BasePagination):
    """Newest first, keyset-paged on the unique ``(created_at, id)`` compared as a row.

    A cursor holds the last row's key and a direction, nothing else: no offsets, so a page costs what the
    first does and a list whose rows share one ``created_at`` (a bulk insert) still pages to its end, each
    row exactly once. ``next`` and ``previous`` links; no counts. A cursor that does not decode to a key
    is a 400 naming ``cursor``.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"
    fields = ("created_at", "id")

    def get_page_size(self, request) -> int:
        return page_size_from(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        def fetch(position, newer: bool, limit: int) -> list:
            key = Tuple(*(F(name) for name in self.fields))
            if position is None:
                page = queryset
            elif newer:
                page = queryset.filter(TupleGreaterThan(key, position))
            else:
                page = queryset.filter(TupleLessThan(key, position))
            order = "asc" if newer else "desc"
            return list(page.order_by(*(getattr(F(name), order)() for name in self.fields))[:limit])

        return self.paginate_rows(fetch, request)

    def paginate_rows(self, fetch: Callable[[tuple | None, bool, int], list], request) -> list:
        """A page from ``fetch(position, newer, limit)``: at most ``limit`` rows past ``position`` (the
        ``(created_at, id)`` of the row a cursor points at, None for the first page), newest first, or
        with ``newer`` the rows just newer than it, nearest first. Selectors that read pages their own way
        (``reviews.selectors.review_page_for_book``) are paged by it as querysets are."""
        self.request = request
        self.base_url = request.build_absolute_uri()
        size = self.get_page_size(request)
        cursor = self._decode(request)
        backwards, position = cursor if cursor is not None else (False, None)
        rows = fetch(position, backwards, size + 1)
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = cursor is not None, more
        self.rows = rows
        return rows

    def _key_of(self, row) -> list[str]:
        return [_key_text(row_value(row, name)) for name in self.fields]

    def _link(self, backwards: bool, row) -> str | None:
        token = base64.urlsafe_b64encode(
            json.dumps({"d": "p" if backwards else "n", "k": self._key_of(row)}).encode()
        ).decode()
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.rows:
            return None
        return self._link(False, self.rows[-1])

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.rows:  # past the end after deletions: step back from where the client stood
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(True, self.rows[0])

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The pagination cursor value, from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Number of results to return per page (at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]

    def _decode(self, request) -> tuple[bool, tuple[datetime, uuid.UUID]] | None:
        token = request.query_params.get(self.cursor_query_param)
        if not token:  # absent or empty: the first page
            return None
        invalid = ValidationError({self.cursor_query_param: ["This cursor is not valid."]})
        try:
            data = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
            created_text, id_text = data["k"]
            created_at = parse_datetime(created_text)
            backwards = {"p": True, "n": False}[data["d"]]
            key = (created_at, uuid.UUID(id_text))
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error) as exc:
            raise invalid from exc
        if created_at is None or created_at.tzinfo is None:
            raise invalid
        return backwards, (created_at, key[1])


def page_size_from(request, name: str, default: int, maximum: int) -> int:
    """``name`` from the query: a whole number from 1, clamped to ``maximum``; anything else is a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValidationError(
            {name: [f"A page size must be a whole number from 1 (at most {maximum} are used)."]}
        )
    return min(int(raw), maximum)


def _key_text(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
