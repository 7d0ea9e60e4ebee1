"""Search and search-as-you-type through the API: what a reader types, hostile input included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Book
from catalog.selectors import FUZZY_WHEN_FEWER_THAN
from tests.catalog.factories import BookFactory

pytestmark = pytest.mark.django_db

NOISE = [
    "-",
    '"',
    "or",
    "!",
    "&",
    "|",
    ":*",
    "%",
    "_",
    "\\",
    "'&|!()<->",
    "a:*b",
    "名前",
    "\U0001f600",
    "x';--",
    "(" * 200,
    "é" * 200,
    " ".join(["the"] * 50),
]


@pytest.fixture
def shelf():
    BookFactory(title="Les Misérables", author="Victor Hugo")
    BookFactory(title="To Kill a Mockingbird", author="Harper Lee", isbn="9780061120084")
    BookFactory(title="Mockingjay (The Hunger Games, #3)", author="Suzanne Collins")
    BookFactory(title="It", author="Stephen King")
    BookFactory(title="The Hobbit", author="J.R.R. Tolkien")
    BookFactory(title="Crime and Punishment", author="Fyodor Dostoyevsky")
    Book.objects.filter(title="It").update(rating_5_count=50)


def _search(api_client, text: str) -> list[str]:
    response = api_client.get("/api/v1/books/", {"search": text})
    assert response.status_code == 200, response.content
    return [book["title"] for book in response.json()["results"]]


def _suggest(api_client, text: str) -> list[str]:
    response = api_client.get("/api/v1/books/suggest/", {"q": text})
    assert response.status_code == 200, response.content
    return [book["title"] for book in response.json()]


@pytest.mark.parametrize(
    "typed, first",
    [
        ("les miserables", "Les Misérables"),
        ("LES MISÉRABLES", "Les Misérables"),
        ("the hobit", "The Hobbit"),
        ("mockingb", "To Kill a Mockingbird"),
        ("dostoevsky", "Crime and Punishment"),
        ("it", "It"),
        ("0-06-112008-1", "To Kill a Mockingbird"),
        ("978 0 06 112008 4", "To Kill a Mockingbird"),
    ],
)
def test_search_finds_what_is_meant(api_client, shelf, typed, first):
    assert _search(api_client, typed)[0] == first


def test_web_search_syntax_asks_for_exactly_what_it_says(api_client, shelf):
    assert _search(api_client, '"kill a mockingbird"') == ["To Kill a Mockingbird"]
    assert "To Kill a Mockingbird" not in _search(api_client, "mockingbird -kill")
    assert set(_search(api_client, "hobbit or punishment")) == {"The Hobbit", "Crime and Punishment"}


@pytest.mark.parametrize(
    "typed, first",
    [
        ("les mis", "Les Misérables"),
        ("the hob", "The Hobbit"),
        ("hary pot", None),
        ("mockingb", "To Kill a Mockingbird"),
    ],
)
def test_suggest_completes_the_word_being_typed(api_client, shelf, typed, first):
    suggestions = _suggest(api_client, typed)
    assert len(suggestions) <= 10
    if first is None:
        assert suggestions == []  # nothing like it on the shelf
    else:
        assert suggestions[0] == first


def test_suggest_answers_the_documented_shape_in_one_query(api_client, shelf):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/v1/books/suggest/", {"q": "hobbit"})
    assert response.status_code == 200
    [book] = response.json()
    assert set(book) == {"id", "title", "author", "publication_year"}
    assert [q["sql"] for q in queries if "books" in q["sql"]].__len__() == 1


def test_suggest_returns_at_most_ten(api_client):
    BookFactory.create_batch(25, author="Anne Rice")
    assert len(_suggest(api_client, "anne ri")) == 10


@pytest.mark.parametrize("noise", NOISE)
def test_noise_is_a_200_never_a_500(api_client, shelf, noise):
    _search(api_client, noise)
    _suggest(api_client, noise)


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF", "%C3%28", "%E2%80%AE"])
def test_undecodable_bytes_are_never_a_500(api_client, raw):
    for path in (f"/api/v1/books/?search={raw}", f"/api/v1/books/suggest/?q={raw}"):
        assert api_client.get(path).status_code in (200, 400)


@pytest.mark.parametrize("path, name", [("/api/v1/books/", "search"), ("/api/v1/books/suggest/", "q")])
def test_over_200_characters_is_a_400_naming_the_parameter(api_client, path, name):
    response = api_client.get(path, {name: "x" * 201})
    assert response.status_code == 400
    assert name in response.json()


def test_suggest_without_q_is_a_400(api_client):
    response = api_client.get("/api/v1/books/suggest/")
    assert response.status_code == 400
    assert "q" in response.json()


def test_a_search_page_costs_at_most_the_queries_of_a_plain_page(api_client, shelf):
    def queries(params: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get("/api/v1/books/", params).status_code == 200
        return len(captured)

    plain = queries({})  # the rate-limit counter, the count, the page
    for number in range(FUZZY_WHEN_FEWER_THAN):
        BookFactory(title=f"The Hobbit, volume {number}")
    # Words that find a page of books: one ranked statement finds its candidates, ranks and counts them.
    assert queries({"search": "hobbit"}) == plain - 1
    assert queries({"search": "hobbit", "page": 2, "page_size": 7}) == plain - 1
    # Words that find fewer: typos are looked for too (trigram likeness), in a second ranked statement.
    assert queries({"search": "crime punishment"}) == plain
    assert queries({"search": "the hobit", "page_size": 50}) == plain
    # Nothing like the whole query: each long word is looked up alone, then ranked.
    assert queries({"search": "tolkein hobbitt zzzzzz"}) == plain + 2
    # Past the end of what the words found, the candidates are looked up first, as a filter would.
    assert api_client.get("/api/v1/books/", {"search": "crime punishment", "page": 2}).status_code == 404


def test_a_search_pages_to_its_end_with_the_filterset_s_results(api_client, shelf):
    for number in range(30):
        BookFactory(title=f"Hobbit stories, volume {number}")
    for text, page_size in [("hobbit", 7), ("hobit stories", 4), ("crime punishment", 1), ("zzzz", 5)]:
        url, seen = f"/api/v1/books/?search={text}&page_size={page_size}", []
        while url:
            body = api_client.get(url).json()
            seen += [book["id"] for book in body["results"]]
            url = body["next"]
        expected = api_client.get("/api/v1/books/", {"search": text, "page_size": 100, "genre": ""}).json()
        assert seen == [book["id"] for book in expected["results"]] and body["count"] == len(seen)
    assert api_client.get("/api/v1/books/", {"search": "hobbit", "page": 99}).status_code == 404
