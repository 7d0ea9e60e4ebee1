import psycopg
import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.pipelining import Ride, statements_of

# Outside a test transaction: a statement in a transaction never carries a rider.
pytestmark = pytest.mark.django_db(transaction=True)

# Both statements report the start of the transaction they ran in: equal when they shared one.
TRANSACTION_STARTED = "SELECT transaction_timestamp(), clock_timestamp()"


def _boarded(ride: Ride, sql: str = TRANSACTION_STARTED, params=()) -> list:
    answers: list = []
    ride.board(sql, list(params), answers.append)
    return answers


def test_the_rider_runs_in_the_round_trip_of_the_next_statement_and_after_it():
    ride = Ride()
    answers = _boarded(ride)
    with connection.execute_wrapper(ride), connection.cursor() as cursor:
        cursor.execute(TRANSACTION_STARTED)
        (started, read_at), *_ = cursor.fetchall()
    ((rider_started, rider_at),) = answers.pop()
    assert rider_started == started  # one implicit transaction: sent together, not one after the other
    assert rider_at > read_at  # and run after the statement
    assert not ride.waiting
    # That transaction ended with the query string: nothing is left open, no lock is held.
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_only_the_next_statement_carries_the_rider_and_the_log_shows_it():
    ride = Ride()
    answers = _boarded(ride, "SELECT %s::int", [7])
    with (
        CaptureQueriesContext(connection) as queries,
        connection.execute_wrapper(ride),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1")
        assert cursor.fetchall() == [(1,)]
        cursor.execute("SELECT 2")
        assert cursor.fetchall() == [(2,)]
    assert answers == [[(7,)]]
    logged = [statements_of(query["sql"]) for query in queries.captured_queries]
    assert logged == [["SELECT 1", "SELECT 7::int"], ["SELECT 2"]]


def test_a_statement_ending_in_a_comment_still_carries_the_rider():
    ride = Ride()
    answers = _boarded(ride, "SELECT 'counted'")
    with connection.execute_wrapper(ride), connection.cursor() as cursor:
        cursor.execute("SELECT 1 -- the last line is a comment")
        assert cursor.fetchall() == [(1,)]
    assert answers == [[("counted",)]]


def test_placeholders_and_percent_signs_on_either_side():
    ride = Ride()
    answers = _boarded(ride, "SELECT %s::text, '100%%'", ["50% off"])
    with connection.execute_wrapper(ride), connection.cursor() as cursor:
        cursor.execute("SELECT %s::text, %s::int, '5%%'", ["a%s", 3])
        assert cursor.fetchall() == [("a%s", 3, "5%")]
        assert cursor.rowcount == 1
    assert answers == [[("50% off", "100%")]]


@pytest.fixture
def rides_table():
    """A temporary table ``rides (n int)`` on the test's connection."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE rides (n int)")


def test_a_rider_whose_statement_fails_still_runs_once(rides_table):
    ride = Ride()
    answers = _boarded(ride, "INSERT INTO rides VALUES (1) RETURNING n")
    with connection.execute_wrapper(ride), connection.cursor() as cursor:
        with pytest.raises(DataError):  # Django's error, as without a rider
            cursor.execute("SELECT 1 / 0")
        cursor.execute("SELECT count(*) FROM rides")
        assert cursor.fetchall() == [(1,)]
    assert answers == []  # the rider's answer is dropped with the failed statement's
    assert connection.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_what_the_answer_raises_comes_out_of_the_statement():
    ride = Ride()

    def refuse(rows):
        raise PermissionError(rows)

    ride.board("SELECT 'no'", [], refuse)
    with connection.execute_wrapper(ride), connection.cursor() as cursor:
        with pytest.raises(PermissionError, match="no"):
            cursor.execute("SELECT 1")
        cursor.execute("SELECT 2")  # the connection is usable afterwards
        assert cursor.fetchall() == [(2,)]


def test_inside_a_transaction_the_rider_runs_alone_first():
    ride = Ride()
    answers = _boarded(ride)
    with transaction.atomic(), connection.execute_wrapper(ride), connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        ((read_at,),) = cursor.fetchall()
    ((_started, rider_at),) = answers.pop()
    assert rider_at < read_at


def test_executemany_and_server_side_cursors_run_the_rider_alone(rides_table):
    ride = Ride()
    answers = _boarded(ride, "SELECT 'first'")
    with connection.execute_wrapper(ride), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO rides VALUES (%s)", [(1,), (2,)])
    assert answers == [[("first",)]]
    answers = _boarded(ride, "SELECT 'second'")
    with (
        connection.execute_wrapper(ride),
        connection.chunked_cursor() as cursor,
    ):  # WITH HOLD, outside a transaction
        cursor.execute("SELECT n FROM rides ORDER BY n")
        assert cursor.fetchall() == [(1,), (2,)]
    assert answers == [[("second",)]]


def test_a_rider_with_no_statement_to_ride_is_sent_alone_and_only_once():
    ride = Ride()
    answers = _boarded(ride, "SELECT 'alone'")
    ride.send_alone(connection)
    ride.send_alone(connection)
    assert answers == [[("alone",)]]
    ride.board("SELECT 1", [], answers.append)
    with pytest.raises(RuntimeError, match="one statement"):
        ride.board("SELECT 2", [], answers.append)
