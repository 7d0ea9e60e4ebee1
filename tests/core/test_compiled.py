import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db import DataError, connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers

from catalog.models import Book
from core.compiled import CompiledPages, CompiledQuery
from reviews.models import Review
from tests.catalog.factories import BookFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def _reviews_of(book_id, rating):
    return (
        Review.objects.filter(book_id=book_id, rating__gte=rating)
        .order_by("-created_at", "id")
        .values("id", "rating", "created_at", stars=JSONObject(given=F("rating")))
    )


def test_rows_are_what_values_gives_for_each_set_of_arguments():
    books = BookFactory.create_batch(2)
    for book in books:
        for rating in (1, 3, 5):
            ReviewFactory(book=book, rating=rating)
    query = CompiledQuery(_reviews_of, parameters={"book_id": uuid.UUID, "rating": int})
    for book in books:
        for rating in (1, 4, 6):
            rows = query.rows(book_id=book.pk, rating=rating)
            assert rows == list(_reviews_of(book.pk, rating))
    assert rows == []  # nothing rated 6
    assert query.rows(book_id=books[0].pk, rating=5)[0]["stars"] == {"given": 5}  # Django's converters ran


def test_the_queryset_is_built_and_compiled_once():
    built = []

    def build(book_id):
        built.append(book_id)
        return Book.objects.filter(pk=book_id).values("title")

    book = BookFactory(title="Once")
    query = CompiledQuery(build, parameters={"book_id": uuid.UUID})
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert query.rows(book_id=book.pk) == [{"title": "Once"}]
    assert len(built) == 2  # twice with different sentinels, to check they land in the same places
    assert book.pk not in built  # built with a sentinel, never with a caller's value
    assert len(queries) == 3


def test_limit_and_offset_are_placeholders_and_pages_slice_like_a_queryset():
    for title in "DACEB":
        BookFactory(title=title)
    query = CompiledQuery(lambda: Book.objects.order_by("title").values("title"), parameters={}, limit=True)
    assert [row["title"] for row in query.rows(limit=2, offset=1)] == ["B", "C"]
    pages = Paginator(CompiledPages(query, count=Book.objects.count), 2)
    assert pages.count == 5
    assert [[row["title"] for row in pages.page(number)] for number in pages.page_range] == [
        ["A", "B"],
        ["C", "D"],
        ["E"],
    ]


def test_a_parameter_django_rewrites_is_refused_rather_than_baked_in():
    query = CompiledQuery(
        lambda term: Book.objects.filter(title__icontains=term).values("id"), parameters={"term": str}
    )
    with pytest.raises(ImproperlyConfigured, match="term"):
        query.rows(term="dune")


def test_a_value_django_rewrites_by_its_size_is_refused():
    # A rating far out of the column's range makes Django drop the comparison: not a placeholder.
    query = CompiledQuery(
        lambda rating: Review.objects.filter(rating__lt=rating * 10**12).values("id"),
        parameters={"rating": int},
    )
    with pytest.raises(ImproperlyConfigured):
        query.rows(rating=3)


def test_a_queryset_of_models_is_refused():
    query = CompiledQuery(lambda: Book.objects.all(), parameters={})
    with pytest.raises(ImproperlyConfigured, match="values"):
        query.rows()


def test_arguments_must_be_exactly_those_declared():
    query = CompiledQuery(
        lambda since: Review.objects.filter(created_at__gte=since).values("id"),
        parameters={"since": datetime},
    )
    with pytest.raises(TypeError, match="since"):
        query.rows()
    with pytest.raises(TypeError, match="limit"):
        query.rows(since=datetime(2020, 1, 1), limit=5)


# --- timestamps as text ------------------------------------------------------------------------------------

_INSTANTS = [
    datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),  # whole seconds: no fraction in either text
    datetime(2024, 5, 6, 7, 8, 9, 120_000, tzinfo=UTC),  # PostgreSQL writes ".12"
    datetime(2024, 5, 6, 7, 8, 9, 1, tzinfo=UTC),
    datetime(2024, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(1, 1, 1, 0, 0, 0, 500, tzinfo=UTC),
    datetime(999, 3, 4, 5, 6, 7, 80, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2024, 3, 31, 1, 30, tzinfo=ZoneInfo("Europe/Paris")),  # stored as an instant: read in UTC
]


def _created_at_of(review_id):
    return Review.objects.filter(pk=review_id).values("created_at")


def _texts(instants, **query_options) -> list:
    reviews = [ReviewFactory() for _ in instants]
    for review, instant in zip(reviews, instants, strict=True):
        Review.objects.filter(pk=review.pk).update(created_at=instant)
    query = CompiledQuery(_created_at_of, parameters={"review_id": uuid.UUID}, **query_options)
    return [query.rows(review_id=review.pk)[0]["created_at"] for review in reviews]


def test_timestamps_as_text_are_what_drf_writes_for_the_datetime():
    drf = serializers.DateTimeField()
    assert _texts(_INSTANTS, as_json_text=True) == [drf.to_representation(value) for value in _INSTANTS]
    assert _texts(_INSTANTS) == _INSTANTS  # without the option, datetimes as Django reads them


def test_timestamps_as_text_in_another_session_time_zone_are_still_utc_text():
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Kolkata'")  # PostgreSQL writes +05:30: parsed, then written
    try:
        texts = _texts(_INSTANTS[:2], as_json_text=True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
    assert texts == ["2024-05-06T07:08:09Z", "2024-05-06T07:08:09.120000Z"]


def test_timestamps_stay_datetimes_when_the_current_time_zone_is_not_utc():
    with timezone.override(ZoneInfo("Europe/Paris")):
        (value,) = _texts(_INSTANTS[:1], as_json_text=True)
        assert value == _INSTANTS[0]
        assert serializers.DateTimeField().to_representation(value) == "2024-05-06T09:08:09+02:00"


def test_a_timestamp_no_datetime_can_hold_is_refused_as_without_the_option():
    review = ReviewFactory()
    for as_text in (True, False):
        query = CompiledQuery(_created_at_of, parameters={"review_id": uuid.UUID}, as_json_text=as_text)
        for value in ("infinity", "2000-01-01 00:00:00+00 BC"):
            Review.objects.filter(pk=review.pk).update(created_at=RawSQL("%s::timestamptz", [value]))
            with pytest.raises(DataError):
                query.rows(review_id=review.pk)


def test_uuids_as_text_are_their_str():
    review = ReviewFactory()
    query = CompiledQuery(
        lambda review_id: Review.objects.filter(pk=review_id).values("id", "book_id"),
        parameters={"review_id": uuid.UUID},
        as_json_text=True,
    )
    assert query.rows(review_id=review.pk) == [{"id": str(review.pk), "book_id": str(review.book_id)}]
