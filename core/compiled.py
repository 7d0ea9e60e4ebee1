"""Hot reads compiled to SQL once per process instead of once per request.

Django compiles a queryset to SQL every time it runs: for the API's busiest reads (a page of a book's
reviews, a book's page) that costs more than PostgreSQL takes to answer (README, "Performance"). A
``CompiledQuery`` is still written as a queryset, so the ORM stays the single description of the query;
it is compiled the first time it runs, with a unique sentinel in place of each declared parameter, and
the positions where the sentinels landed become placeholders. Each later run sends the same SQL with the
request's values in those positions, and returns ``values()``-style dictionaries, converted by the same
converters Django applies.

Only parameters compared as they are (``pk=``, ``book_id=``, a row comparison) can be placeholders; one
Django rewrites (``__icontains`` wraps it in ``%``) is caught when compiling, never baked in silently.
"""

import random
import re
import uuid
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import Any, overload

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable
from django.utils import timezone
from psycopg.adapt import Loader
from psycopg.types.datetime import TimestamptzLoader
from psycopg.types.string import TextLoader

_SENTINEL_MAKERS: dict[type, Callable[[random.Random], Any]] = {
    uuid.UUID: lambda rng: uuid.UUID(int=rng.getrandbits(128), version=4),
    # Within every integer column's range: Django rewrites a comparison with a value out of its range.
    int: lambda rng: rng.randint(1_000, 32_767),
    str: lambda rng: f"sentinel-{rng.getrandbits(64):016x}",
    datetime: lambda rng: datetime(1901, 1, 1, tzinfo=UTC) + timedelta(microseconds=rng.getrandbits(40)),
    # An array parameter (``= ANY(%s)``): recognised by identity, as Django passes it on untouched.
    list: lambda rng: [uuid.UUID(int=rng.getrandbits(128), version=4)],
}


class _Statement:
    def __init__(self, sql: str, constants: list, slots: list[str | None], names: list[str], converters):
        self.sql = sql
        self.constants = constants
        self.slots = slots  # per SQL parameter: the argument it takes, or None for a constant
        self.names = names
        self.converters = converters


# PostgreSQL's text for a timestamptz in a UTC session with the ISO date style (the server's default, and
# what Django's connections use): fractional seconds without their trailing zeros, none when whole.
_UTC_TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00")


class IsoTimestampLoader(Loader):
    """Loads a timestamptz as the text DRF writes for it in UTC (``2024-05-06T07:08:09.120000Z``), made
    from PostgreSQL's own text by moving characters: parsing it into a datetime and formatting that back
    cost about 5 µs a value, more than a page of reviews takes to read. A value in another form (another
    session time zone, a date before year 1) is parsed as usual and written as DRF writes it."""

    def __init__(self, oid: int, context=None) -> None:
        super().__init__(oid, context)
        self._parse = TimestamptzLoader(oid, context)

    def load(self, data) -> str:
        text = bytes(data).decode()
        match = _UTC_TIMESTAMP.fullmatch(text)
        if match is None:
            written = self._parse.load(data).astimezone(UTC).isoformat()
            return written[:-6] + "Z" if written.endswith("+00:00") else written
        day, time, fraction = match.groups()
        return f"{day}T{time}.{fraction.ljust(6, '0')}Z" if fraction else f"{day}T{time}Z"


def _load_as_json_text(adapters) -> None:
    adapters.register_loader("uuid", TextLoader)
    zone = timezone.get_current_timezone()
    if settings.USE_TZ and (zone is UTC or getattr(zone, "key", None) == "UTC"):
        adapters.register_loader("timestamptz", IsoTimestampLoader)


class CompiledQuery:
    """A queryset shape, compiled once per process and database, run with new parameter values.

    ``build(**arguments)`` returns the queryset (a ``values()`` queryset: its names are the rows' keys);
    ``parameters`` maps each argument that varies per request to its type (``uuid.UUID``, ``int``, ``str``,
    ``datetime``, or ``list`` for an array). ``limit=True`` appends ``LIMIT`` and ``OFFSET`` placeholders, so one statement serves
    every page and page size.

    ``as_json_text=True``, for rows that go to an API response: values JSON writes as text come back as
    that text, made from PostgreSQL's own instead of through Python objects: UUIDs (PostgreSQL's text of
    one is ``str(uuid)``) and, while the current time zone is UTC, timestamps (``IsoTimestampLoader``).
    """

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        parameters: dict[str, type],
        limit: bool = False,
        as_json_text: bool = False,
    ) -> None:
        self._build = build
        self._parameters = parameters
        self._limit = limit
        self._as_json_text = as_json_text
        self._statements: dict[Hashable, _Statement] = {}
        self._lock = Lock()

    def rows(
        self, *, using: str = "default", limit: int | None = None, offset: int = 0, **arguments
    ) -> list[dict]:
        if set(arguments) != set(self._parameters):
            raise TypeError(f"Expected the arguments {sorted(self._parameters)}, got {sorted(arguments)}.")
        if self._limit != (limit is not None):
            raise TypeError("A limit is given exactly when the query was declared with limit=True.")
        statement = self._statement(using)
        params = [
            constant if slot is None else arguments[slot]
            for constant, slot in zip(statement.constants, statement.slots, strict=True)
        ]
        sql = statement.sql
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        connection = connections[using]
        with connection.cursor() as cursor:
            if self._as_json_text:
                _load_as_json_text(cursor.cursor.adapters)
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if statement.converters:
            fetched = [self._convert(row, statement.converters, connection) for row in fetched]
        names = statement.names
        return [dict(zip(names, row, strict=True)) for row in fetched]

    @staticmethod
    def _convert(row, converters, connection) -> tuple:
        values = list(row)
        for index, (functions, expression) in converters:
            value = values[index]
            for function in functions:
                value = function(value, expression, connection)
            values[index] = value
        return tuple(values)

    def _statement(self, using: str) -> _Statement:
        statement = self._statements.get(using)
        if statement is None:
            with self._lock:
                statement = self._statements.get(using) or self._compile(using)
                self._statements[using] = statement
        return statement

    def _compile(self, using: str) -> _Statement:
        # Compiled twice with different sentinels: the two must agree on the SQL and on where each
        # parameter lands, so a constant that happens to equal a sentinel, or a value Django rewrote,
        # cannot pass for a placeholder.
        first, compiler, queryset = self._compile_with_sentinels(using)
        second, _compiler, _queryset = self._compile_with_sentinels(using)
        if (first[0], first[2]) != (second[0], second[2]):
            raise ImproperlyConfigured(
                "The query's SQL depends on its parameters' values; it cannot be compiled once."
            )
        sql, params, slots = first
        constants = [None if slot else param for param, slot in zip(params, slots, strict=True)]
        query = queryset.query
        # As Django's ValuesIterable names the columns.
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        converters = list(compiler.get_converters([column[0] for column in compiler.select]).items())
        return _Statement(sql, constants, slots, names, converters)

    def _compile_with_sentinels(self, using: str):
        rng = random.Random()
        sentinels = {name: _SENTINEL_MAKERS[kind](rng) for name, kind in self._parameters.items()}
        queryset = self._build(**sentinels).using(using)
        if not issubclass(queryset._iterable_class, ValuesIterable):  # type: ignore[attr-defined]
            raise ImproperlyConfigured("A CompiledQuery is built from a values() queryset.")
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in sentinels.items() if _hashable(value)}
        by_identity = {id(value): name for name, value in sentinels.items()}
        slots = [by_value.get(param) if _hashable(param) else by_identity.get(id(param)) for param in params]
        missing = set(sentinels) - {slot for slot in slots if slot}
        leaked = [
            param
            for param, slot in zip(params, slots, strict=True)
            if slot is None and isinstance(param, str) and "sentinel-" in param
        ]
        if missing or leaked:
            raise ImproperlyConfigured(
                f"These parameters are not compared as they are, so they cannot be placeholders: "
                f"{sorted(missing) or leaked}."
            )
        return (sql, list(params), slots), compiler, queryset


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class CompiledPages(Sequence[dict]):
    """A ``CompiledQuery`` declared with ``limit=True`` as Django's paginator pages a queryset: its length
    (``count``, asked when the paginator needs it) and slices, each slice one run of the statement."""

    ordered = True  # the statement has its ORDER BY; Django's paginator asks

    def __init__(
        self,
        query: CompiledQuery,
        *,
        count: Callable[[], int],
        counted_in_rows: str | None = None,
        **arguments,
    ) -> None:
        self._query = query
        self._count = count
        # The column holding every page's row count (a ``count(*) OVER ()``), for a paginator that reads
        # the count from the page it fetched instead of asking ``count`` first.
        self.counted_in_rows = counted_in_rows
        self._arguments = arguments

    def __len__(self) -> int:  # what the paginator counts
        return self._count()

    @overload
    def __getitem__(self, window: int) -> dict: ...

    @overload
    def __getitem__(self, window: slice) -> list[dict]: ...

    def __getitem__(self, window):
        if not isinstance(window, slice):
            raise TypeError("Compiled pages are read in slices.")
        start = window.start or 0
        if window.step is not None or window.stop is None or start < 0 or window.stop < start:
            raise TypeError("Compiled pages are read in forward slices with an end.")
        return self._query.rows(limit=window.stop - start, offset=start, **self._arguments)
