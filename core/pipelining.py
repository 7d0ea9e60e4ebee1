"""A statement sent in the same round trip to PostgreSQL as the next statement a connection runs.

Some statements need not run at the moment they are asked for, only before the request ends, and their
answer is wanted only after the request's own read: the rate-limit count of a read request is one. Sent on
their own they cost a round trip, and a parse, bind and wake-up on both sides, each. A ``Ride`` installed
as an execute wrapper (``connection.execute_wrapper(ride)``) holds one such statement and appends it to the
next statement the connection runs, in the same query string: PostgreSQL runs the two one after the other
and answers both at once. They form one implicit transaction that ends right after the rider, so a row
lock the rider takes is held no longer than when it runs alone. The statement keeps its own result; the
rider's answer is read from the second.

The rider is always run, exactly once: alone, before the statement, where the statement cannot carry it
(inside a transaction, an ``executemany``, a server-side cursor or server-side binding), and alone again
when the statement failed (the query string is one transaction: nothing of it was kept). ``send_alone``
runs it when the block ran no statement at all.
"""

from collections.abc import Callable, Sequence
from typing import Any

import psycopg

OnResult = Callable[[list[tuple]], None]

# Opens a rider in a query string, so the log shows it and ``statements_of`` can part the two.
RIDER_MARK = "/* sent with the statement above */ "


class Ride:
    def __init__(self) -> None:
        self._rider: tuple[str, Sequence[Any], OnResult] | None = None

    def board(self, sql: str, params: Sequence[Any], on_result: OnResult) -> None:
        """Hold ``sql`` for the next statement; ``on_result`` gets its rows once it has run (and may
        raise: the exception then comes out of the statement it rode with)."""
        if self._rider is not None:
            raise RuntimeError("A ride holds one statement at a time.")
        self._rider = (sql, params, on_result)

    @property
    def waiting(self) -> bool:
        return self._rider is not None

    def send_alone(self, connection) -> None:
        """Run the waiting statement by itself (the block ran no statement for it to ride with)."""
        if self._rider is not None:
            sql, params, on_result = self._take()
            on_result(_run(connection, sql, params))

    def __call__(self, execute, sql, params, many, context):
        if self._rider is None:
            return execute(sql, params, many, context)
        rider_sql, rider_params, on_result = self._take()
        connection, cursor = context["connection"], context["cursor"].cursor
        if (
            many
            or not isinstance(sql, str)
            or not isinstance(cursor, psycopg.ClientCursor)
            or not _between_transactions(connection)
        ):
            on_result(_run(connection, rider_sql, rider_params))
            return execute(sql, params, many, context)
        rider = cursor.mogrify(rider_sql, rider_params)
        if params is not None:  # the statement's own placeholders are filled in the whole string
            rider = rider.replace("%", "%%")
        try:
            # The line break first: a statement ending in a ``--`` comment would swallow the semicolon.
            result = execute(f"{sql}\n;{RIDER_MARK}{rider}", params, many, context)
        except Exception:
            _run(connection, rider_sql, rider_params)
            raise
        rows = cursor.set_result(-1).fetchall()
        cursor.set_result(0)  # the statement's result, for whoever ran it
        on_result(rows)
        return result

    def _take(self) -> tuple[str, Sequence[Any], OnResult]:
        rider, self._rider = self._rider, None
        assert rider is not None
        return rider


def statements_of(sql: str) -> list[str]:
    """The statements in a query as run, a rider apart from the statement that carried it."""
    return sql.split(f"\n;{RIDER_MARK}")


def _between_transactions(connection) -> bool:
    # A statement inside a transaction cannot carry the rider: the query string's implicit transaction
    # would become part of it, and the rider's lock would last as long.
    return (
        connection.get_autocommit()
        and not connection.in_atomic_block
        and connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    )


def _run(connection, sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
