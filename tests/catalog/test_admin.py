import pytest

from catalog.models import Book
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
    assert b"Stars (1" in page.content
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
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "catalog", "model_name": "bookgenre", "field_name": "genre", "term": "fan"},
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Fantasy"
