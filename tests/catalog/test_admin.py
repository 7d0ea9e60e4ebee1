import re

import pytest

from catalog.models import Book
from tests.accounts.factories import UserFactory
from tests.admin import autocomplete_texts
from tests.catalog.factories import BookFactory, GenreFactory

pytestmark = pytest.mark.django_db


def test_book_changelist_search_and_filters_render(admin_client):
    genre = GenreFactory(slug="fantasy", name="Fantasy")
    BookFactory(title="The Dragon Reborn", genres=[genre], publication_year=1991)
    for params in [{}, {"q": "dragon"}, {"genre": "fantasy"}, {"century": "1900"}, {"q": "9780439023481"}]:
        response = admin_client.get("/admin/catalog/book/", params)
        assert response.status_code == 200
    assert b"The Dragon Reborn" in admin_client.get("/admin/catalog/book/", {"q": "dragon"}).content


def test_book_change_page_shows_read_only_aggregates_and_saves_genres(admin_client):
    genre = GenreFactory()
    book = BookFactory()
    page = admin_client.get(f"/admin/catalog/book/{book.pk}/change/")
    assert page.status_code == 200
    assert b"Ratings by star" in page.content
    response = admin_client.post(
        f"/admin/catalog/book/{book.pk}/change/",
        {
            "title": "Edited",
            "author": book.author,
            "isbn": "",
            "description": "",
            "cover_image_url": "",
            "publication_year": "2001",
            "language_code": "eng",
            "bookgenre_set-TOTAL_FORMS": "1",
            "bookgenre_set-INITIAL_FORMS": "0",
            "bookgenre_set-0-genre": str(genre.pk),
            "bookgenre_set-0-book": str(book.pk),
        },
    )
    assert response.status_code == 302, response.content[:2000]
    book.refresh_from_db()
    assert book.title == "Edited"
    assert list(book.genres.all()) == [genre]
    assert Book.objects.get(pk=book.pk).total_reviews == 0


def test_genre_autocomplete_answers(admin_client):
    GenreFactory(name="Fantasy", slug="fantasy")
    texts = autocomplete_texts(
        admin_client, app_label="catalog", model_name="bookgenre", field_name="genre", term="fan"
    )
    assert texts == ["Fantasy"]


def test_book_and_reader_autocomplete_answer_with_names(admin_client):
    BookFactory(title="Dune", author="Frank Herbert")
    BookFactory(title="Dune", author="Brian Herbert")
    books = autocomplete_texts(
        admin_client, app_label="reviews", model_name="review", field_name="book", term="dune"
    )
    assert sorted(books) == ["Dune — Brian Herbert", "Dune — Frank Herbert"]
    UserFactory(email="reader@example.com")
    readers = autocomplete_texts(
        admin_client, app_label="reviews", model_name="review", field_name="user", term="reader@"
    )
    assert readers == ["reader@example.com"]


def _book_form(**fields) -> dict:
    return {
        "title": "Dune",
        "author": "Frank Herbert",
        "isbn": "",
        "description": "",
        "cover_image_url": "",
        "publication_date": "",
        "publication_year": "",
        "language_code": "",
        "bookgenre_set-TOTAL_FORMS": "1",
        "bookgenre_set-INITIAL_FORMS": "0",
        "bookgenre_set-MIN_NUM_FORMS": "0",
        "bookgenre_set-MAX_NUM_FORMS": "1000",
        "bookgenre_set-0-genre": "",
        **fields,
    }


@pytest.mark.parametrize("typed", ["0441172717", "0-441-17271-7", "978-0-441-17271-9", "978 0441172719"])
def test_the_book_form_takes_an_isbn_as_printed_and_stores_the_isbn_13(admin_client, typed):
    response = admin_client.post("/admin/catalog/book/add/", _book_form(isbn=typed))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Book.objects.get(title="Dune").isbn == "9780441172719"


def test_a_bad_isbn_is_a_field_message_and_a_duplicate_too(admin_client):
    response = admin_client.post("/admin/catalog/book/add/", _book_form(isbn="0441172718"))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["isbn"]
    BookFactory(isbn="9780441172719")
    response = admin_client.post("/admin/catalog/book/add/", _book_form(isbn="0-441-17271-7"))
    assert list(response.context["adminform"].form.errors) == ["isbn"]


def test_the_add_form_shows_no_timestamps_or_ratings(admin_client):
    page = admin_client.get("/admin/catalog/book/add/").content.decode()
    assert "DatabaseDefault" not in page
    assert "Updated at" not in page and "Ratings (maintained" not in page


def test_the_book_page_draws_the_stars_and_links_to_the_books_reviews_and_collections(admin_client):
    from collections_app import services as collections
    from tests.reviews.factories import ReviewFactory

    book = BookFactory(title="Dune", cover_image_url="https://covers.example/dune.jpg")
    other = BookFactory(title="Emma")
    ReviewFactory(book=book, rating=5)
    ReviewFactory(book=other, rating=2)
    holding = collections.collection_create(owner=None, name="Desert", visibility="public")
    collections.collection_set_books(collection=holding, books=[book])
    collections.collection_create(owner=None, name="Other", visibility="public")
    page = admin_client.get(f"/admin/catalog/book/{book.pk}/change/").content.decode()
    assert 'aria-label="Ratings by star"' in page and "5★" in page
    assert '<img src="https://covers.example/dune.jpg"' in page
    reviews = admin_client.get(f"/admin/reviews/review/?book__id__exact={book.pk}")
    assert reviews.status_code == 200
    assert [review.book_id for review in reviews.context_data["cl"].result_list] == [book.pk]
    shelves = admin_client.get(f"/admin/collections_app/collection/?book={book.pk}")
    assert [collection.name for collection in shelves.context_data["cl"].result_list] == ["Desert"]
    assert admin_client.get("/admin/collections_app/collection/?book=not-a-uuid").status_code == 200
    listing = admin_client.get("/admin/catalog/book/").content.decode()
    assert 'alt="Cover of Dune"' in listing


def test_the_admin_search_lists_the_best_match_first(admin_client):
    for title in ["It Ends with Us", "It Starts with Us", "Catch Me If You Can"]:
        BookFactory(title=title, author="Someone")
    BookFactory(title="It", author="Stephen King")
    page = admin_client.get("/admin/catalog/book/", {"q": "it"}).content.decode()
    rows = re.findall(r'class="folio-clip" title="([^"]+)"', page)
    assert rows[0] == "It", rows
