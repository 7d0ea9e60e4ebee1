"""A row read as a dictionary is represented exactly as DRF represents the same model instance."""

import zoneinfo

import pytest
from django.utils import timezone

from catalog.api import selectors as book_read_model
from catalog.api.serializers import BookDetailSerializer, BookListSerializer
from reviews import selectors as review_selectors
from reviews.api.serializers import ReviewReadSerializer
from reviews.models import Review
from reviews.services import review_set_hidden
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory, GenreFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_book():
    book = BookFactory(genres=[GenreFactory(name="Sci-Fi"), GenreFactory(name="Classics")])
    ReviewFactory(book=book, rating=5, user=UserFactory(first_name="Ada", last_name="Lovelace"))
    ReviewFactory(book=book, rating=2, review_text="Slow.", user=UserFactory(first_name="", last_name=""))
    hidden = ReviewFactory(book=book, rating=1, user=UserFactory(first_name=" Bo ", last_name="x"))
    review_set_hidden(review=hidden, by=UserFactory(is_staff=True), hidden=True, reason="Spam")
    BookFactory()  # unrated: its average is null
    return book


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])
def test_reviews_as_rows_and_as_models_read_the_same(reviewed_book, zone):
    rows = list(review_selectors.review_rows(Review.objects.filter(book=reviewed_book).order_by("id")))
    models = (
        review_selectors.review_get_queryset(include_hidden=True).filter(book=reviewed_book).order_by("id")
    )
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        as_rows = ReviewReadSerializer(rows, many=True).data
        as_models = ReviewReadSerializer(models, many=True).data
    assert as_rows == as_models
    assert {review["reviewer"] for review in as_rows} == {"Ada L.", "A reader", "Bo  x."}
    assert any(review["hidden"] for review in as_rows)


@pytest.mark.parametrize("signed_in", [False, True])
def test_books_as_rows_and_as_models_read_the_same(reviewed_book, signed_in):
    user = Review.objects.get(book=reviewed_book, rating=5).user if signed_in else None
    pages = book_read_model.book_list_pages(user=user)
    assert (
        BookListSerializer(pages[0:10], many=True).data
        == BookListSerializer(book_read_model.book_list(user=user), many=True).data
    )
    for book in book_read_model.book_list():
        row = book_read_model.book_detail_row(book_id=book.pk, user=user)
        model = book_read_model.book_detail_queryset(user=user).get(pk=book.pk)
        assert BookDetailSerializer(row).data == BookDetailSerializer(model).data
    detail = BookDetailSerializer(book_read_model.book_detail_row(book_id=reviewed_book.pk, user=user)).data
    assert [genre["name"] for genre in detail["genres"]] == ["Classics", "Sci-Fi"]
    assert detail["my_rating"] == (5 if signed_in else None)


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_search_alone_reads_what_the_filterset_reads(reviewed_book, signed_in):
    from catalog.api.filters import BookFilter

    for title in ["Dune", "Dune Messiah", "Children of Dune", "The Dune Encyclopedia", "Emma"]:
        BookFactory(title=title, author="Frank Herbert" if "Dune" in title else "Jane Austen")
    user = Review.objects.get(book=reviewed_book, rating=5).user if signed_in else None
    for text in [
        "dune",
        "dnue",
        "herbert dune",
        '"dune messiah"',
        "emma -dune",
        "?!",
        reviewed_book.isbn or "x",
    ]:
        pages = book_read_model.book_search_pages(text=text, user=user)
        filtered = BookFilter({"search": text}, queryset=book_read_model.book_list(user=user)).qs
        assert (
            BookListSerializer(pages[0:20], many=True).data
            == BookListSerializer(filtered[:20], many=True).data
        )
        assert len(pages) == filtered.count()
