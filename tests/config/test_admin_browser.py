"""Every registered model's add and change pages in a real Chromium, as a curator uses them: open the page,
fill only what a person must, submit the form exactly as rendered (extra inline rows, autocomplete widgets
and hidden fields included), then check the database. Each screen is saved under ``var/screenshots/``; a
failing save saves its page there too."""

import json
import re
import wave

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts import services as account_services
from accounts.models import ApiKey, User
from catalog.models import Book, Genre
from collections_app.models import Collection
from reviews import library_services
from reviews.models import LibraryImport, LibraryImportRow, Review
from stories import services as story_services
from stories.media import story_audio_path
from stories.models import Repository, Story, StoryChapter, StoryIntent, StoryStatus
from tests.accounts.factories import UserFactory
from tests.browser import needs_chromium, pick, save, screenshot, sign_in
from tests.catalog.factories import BookFactory
from tests.collections_app.factories import CollectionFactory
from tests.reviews.factories import ReviewFactory
from tests.reviews.library_exports import goodreads_file, goodreads_row, isbn13_of, real_books
from tests.stories.factories import IntentFactory, RepositoryFactory, StoryFactory

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]

COVERED = {
    Group,
    DBTaskResult,
    User,
    ApiKey,
    Book,
    Genre,
    Review,
    LibraryImport,
    LibraryImportRow,
    Collection,
    Story,
    Repository,
    StoryIntent,
}


def test_every_registered_model_is_covered_here():
    assert set(admin.site._registry) == COVERED


@pytest.fixture
def curator(live_server, browser_page):
    """A signed-in curator's page at 1,280 px, and a function opening an admin path (never a 500)."""
    browser_page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(browser_page, live_server.url)

    def open_page(path: str, name: str, *, status: int = 200):
        response = browser_page.goto(f"{live_server.url}{path}")
        assert response.status == status, f"{path}: {response.status}"
        screenshot(browser_page, name)
        return browser_page

    return open_page


def _fits(page) -> bool:
    """Neither the page nor the list's own box (which scrolls sideways when too wide) overflows."""
    return page.evaluate(
        """() => document.documentElement.scrollWidth <= window.innerWidth &&
        Array.from(document.querySelectorAll('#changelist .results, .inline-group .tabular'))
            .every((box) => box.scrollWidth <= box.clientWidth)"""
    )


def test_groups(curator):
    page = curator("/admin/auth/group/add/", "group-add")
    page.fill("#id_name", "Curators")
    save(page, "group-add")
    group = Group.objects.get(name="Curators")
    page = curator(f"/admin/auth/group/{group.pk}/change/", "group-change")
    page.fill("#id_name", "Senior curators")
    save(page, "group-change")
    assert Group.objects.filter(pk=group.pk, name="Senior curators").exists()


def test_task_results_are_read_only(curator):
    story = StoryFactory()
    story_services._enqueue(story.pk)
    result = DBTaskResult.objects.get()
    curator("/admin/django_tasks_database/dbtaskresult/add/", "task-add", status=403)
    page = curator(f"/admin/django_tasks_database/dbtaskresult/{result.pk}/change/", "task-view")
    assert page.locator("input[name=_save]").count() == 0
    assert str(story.pk) in page.content()


def test_users_and_their_preferences(curator):
    page = curator("/admin/accounts/user/add/", "user-add")
    page.fill("#id_email", "new.reader@example.com")
    page.fill("#id_password1", "a-long-new-password-1")
    page.fill("#id_password2", "a-long-new-password-1")
    save(page, "user-add", button="input[name=_continue]")
    user = User.objects.get(email="new.reader@example.com")
    assert user.check_password("a-long-new-password-1")
    assert user.preferences.theme == "modern"  # the trigger's row, shown and saved on the change page

    page = curator(f"/admin/accounts/user/{user.pk}/change/", "user-change")
    page.select_option("#id_preferences-0-theme", "dark")
    page.check("#id_preferences-0-onboarding_completed")
    save(page, "user-change")
    user.preferences.refresh_from_db()
    assert (user.preferences.theme, user.preferences.onboarding_completed) == ("dark", True)


def test_api_keys_are_changed_not_added_here(curator):
    owner = UserFactory()
    key, _secret = account_services.api_key_create(user=owner, name="CLI", permissions=["reviews:write"])
    curator("/admin/accounts/apikey/add/", "apikey-add", status=403)
    page = curator(f"/admin/accounts/apikey/{key.pk}/change/", "apikey-change")
    page.check("input[name=permissions][value='favorites:write']")
    save(page, "apikey-change")
    key.refresh_from_db()
    assert sorted(key.permissions) == ["favorites:write", "reviews:write"]


def test_books_with_an_isbn_as_printed(curator):
    page = curator("/admin/catalog/book/add/", "book-add")
    assert "DatabaseDefault" not in page.content() and "id_created_at" not in page.content()
    page.fill("#id_title", "Dune")
    page.fill("#id_author", "Frank Herbert")
    page.fill("#id_isbn", "0-441-17271-6")  # an ISBN-10 with a wrong check digit
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "check digit" in page.locator(".errorlist").inner_text().lower()
    screenshot(page, "book-add-bad-isbn")
    page.fill("#id_isbn", "0 441 17271 7")  # the right one, spaced
    save(page, "book-add")
    book = Book.objects.get(title="Dune")
    assert book.isbn == "9780441172719"

    ReviewFactory.create_batch(3, book=book, rating=5)
    ReviewFactory(book=book, rating=2)
    page = curator(f"/admin/catalog/book/{book.pk}/change/", "book-change")
    assert page.locator("[aria-label='Ratings by star'] > div").count() == 5
    page.fill("#id_isbn", "978-0-441-17271-9")  # the same book, as an ISBN-13 with hyphens
    save(page, "book-change")
    book.refresh_from_db()
    assert (book.isbn, book.total_reviews) == ("9780441172719", 4)

    BookFactory(title="Another", isbn="9780306406157")
    page = curator(f"/admin/catalog/book/{book.pk}/change/", "book-change-duplicate-isbn")
    page.fill("#id_isbn", "0-306-40615-2")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() >= 1, "a duplicate ISBN is a field message"
    screenshot(page, "book-change-duplicate-isbn-refused")

    page = curator("/admin/catalog/book/", "book-changelist")
    assert _fits(page)


def test_genres(curator):
    page = curator("/admin/catalog/genre/add/", "genre-add")
    page.fill("#id_name", "Science Fiction")  # the slug is filled in by the page
    save(page, "genre-add")
    genre = Genre.objects.get(name="Science Fiction")
    assert genre.slug == "science-fiction"
    page = curator(f"/admin/catalog/genre/{genre.pk}/change/", "genre-change")
    save(page, "genre-change")
    assert Genre.objects.filter(pk=genre.pk, slug="science-fiction").exists()


def test_reviews_added_hidden_and_listed_on_one_screen(curator):
    reader = UserFactory(email="reader@example.com")
    book = BookFactory(title="The Left Hand of Darkness")
    page = curator("/admin/reviews/review/add/", "review-add")
    pick(page, page.locator(".field-user"), "reader@example.com")
    pick(page, page.locator(".field-book"), "The Left Hand of Darkness")
    page.select_option("#id_rating", "4")
    save(page, "review-add")
    review = Review.objects.get(user=reader, book=book)
    book.refresh_from_db()
    assert (review.rating, book.rating_4_count) == (4, 1)

    page = curator(f"/admin/reviews/review/{review.pk}/change/", "review-change")
    page.check("#id_hide")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "Say why the review is hidden." in page.locator(".errorlist").inner_text()
    page.fill("#id_reason", "Spoils the ending")
    save(page, "review-hide")
    review.refresh_from_db()
    book.refresh_from_db()
    assert (review.hidden_reason, book.rating_4_count) == ("Spoils the ending", 0)

    long_title = "A Very Long Title " * 12
    for n in range(3):
        ReviewFactory(book__title=long_title, user__email=f"{'x' * 60}{n}@example.com")
    page = curator("/admin/reviews/review/", "review-changelist")
    assert _fits(page), "the reviews list fits a 1,280 px screen"


def test_collections(curator):
    page = curator("/admin/collections_app/collection/add/", "collection-add")
    page.fill("#id_name", "Summer reading")
    page.select_option("#id_visibility", "public")
    save(page, "collection-add")
    collection = Collection.objects.get(name="Summer reading")
    mine = CollectionFactory(name="Mine")
    page = curator(f"/admin/collections_app/collection/{mine.pk}/change/", "collection-change")
    assert _fits(page)
    page.fill("#id_description", "Books I mean to read.")
    save(page, "collection-change")
    assert Collection.objects.get(pk=mine.pk).description == "Books I mean to read."
    page = curator("/admin/collections_app/collection/", "collection-changelist")
    assert _fits(page)
    assert collection.pk


def test_repositories_intents_and_stories_go_through_the_services(curator):
    owner = UserFactory(email="coder@example.com")
    page = curator("/admin/stories/repository/add/", "repository-add")
    pick(page, page.locator(".field-user"), "coder@example.com")
    page.fill("#id_repo_url", "http://127.0.0.1/secret.git")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "not a public address" in page.locator(".errorlist").inner_text()  # the service's URL check
    page.fill("#id_repo_url", "https://git.example.org/team/shop.git")
    save(page, "repository-add")
    repository = Repository.objects.get(user=owner)
    assert (repository.repo_owner, repository.repo_name) == ("team", "shop")
    page = curator(f"/admin/stories/repository/{repository.pk}/change/", "repository-change")
    page.fill("#id_default_branch", "trunk")
    save(page, "repository-change")
    repository.refresh_from_db()
    assert repository.default_branch == "trunk"

    page = curator("/admin/stories/storyintent/add/", "intent-add")
    pick(page, page.locator(".field-user"), "coder@example.com")
    pick(page, page.locator(".field-repository"), "shop")
    page.select_option("#id_intent_category", "architecture")
    save(page, "intent-add")
    intent = StoryIntent.objects.get(repository=repository)
    page = curator(f"/admin/stories/storyintent/{intent.pk}/change/", "intent-change")
    page.select_option("#id_expertise_level", "expert")
    save(page, "intent-change")
    intent.refresh_from_db()
    assert (intent.intent_category, intent.expertise_level) == ("architecture", "expert")

    page = curator("/admin/stories/story/add/", "story-add")
    pick(page, page.locator(".field-user"), "coder@example.com")
    pick(page, page.locator(".field-repository"), "shop")
    save(page, "story-add")
    story = Story.objects.get(repository=repository)
    assert story.status == StoryStatus.PENDING
    queued = DBTaskResult.objects.get()  # queued for generation, as the API would
    assert str(story.pk) in json.dumps(queued.args_kwargs)
    page = curator(f"/admin/stories/story/{story.pk}/change/", "story-change")
    page.fill("#id_title", "How the shop works")
    save(page, "story-change")
    story.refresh_from_db()
    assert story.title == "How the shop works"

    other = RepositoryFactory()
    page = curator("/admin/stories/story/add/", "story-add-someone-elses-repository")
    pick(page, page.locator(".field-user"), "coder@example.com")
    pick(page, page.locator(".field-repository"), other.repo_name)
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert "belongs to another reader" in page.content()
    assert Story.objects.filter(repository=other).count() == 0


def test_the_index_shows_figures_and_the_chart(curator):
    ReviewFactory.create_batch(4)
    IntentFactory()
    page = curator("/admin/", "admin-index")
    figures = page.locator(".folio-figure").all_inner_texts()
    assert any(re.fullmatch(r"4\s+books", text) for text in figures), figures
    assert page.locator(".folio-chart span").count() == 30


def test_a_storys_player_timeline_and_chapters_seek_the_audio(curator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    story = StoryFactory(title="How the shop works")
    audio = story_audio_path(story.pk)
    audio.parent.mkdir(parents=True)
    with wave.open(str(audio), "wb") as sound:  # 90 seconds of real (silent) audio
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(bytes(2 * 8000 * 90))
    Story.objects.filter(pk=story.pk).update(
        audio_url=reverse("story-audio", kwargs={"pk": story.pk}), duration_seconds=90
    )
    for number, (title, start, length) in enumerate(
        [("Introduction", 0, 20.5), ("The payments module", 20.5, 52.16), ("Wrap-up", 72.66, 17.34)], 1
    ):
        StoryChapter.objects.create(
            story=story,
            chapter_number=number,
            title=title,
            script_segment="…",
            start_time_seconds=start,
            duration_seconds=length,
        )
    page = curator(f"/admin/stories/story/{story.pk}/change/", "story-player")
    assert page.locator(".story-timeline a").count() == 3
    assert page.locator("ol li", has_text="The payments module").inner_text().startswith("0:20")
    page.wait_for_function("document.getElementById('story-player').readyState >= 1")  # metadata loaded
    page.locator(".story-timeline a").nth(2).click()
    assert page.evaluate("document.getElementById('story-player').currentTime") >= 72.5
    page.locator(".field-play a").first.click()  # the chapter list's first "play"
    assert page.evaluate("document.getElementById('story-player').currentTime") < 5


def test_library_imports_show_why_a_row_did_not_match(curator):
    hunger_games, harry_potter = real_books()[:2]
    BookFactory(title=hunger_games.title, author="Suzanne Collins", isbn=isbn13_of(hunger_games.isbn10))
    BookFactory(title=harry_potter.title, author="J.K. Rowling", isbn=None)
    rows = [
        goodreads_row(hunger_games, My_Rating="5"),
        goodreads_row(harry_potter, My_Rating="4", ISBN='=""', ISBN13='=""', Author="Somebody Else"),
    ]
    reader = UserFactory(email="importer@example.com")
    library_import = library_services.library_import_start(
        user=reader, file_name="gr.csv", data=goodreads_file(rows)
    )
    library_services.library_import_run(import_id=library_import.pk)

    curator("/admin/reviews/libraryimport/add/", "import-add", status=403)
    page = curator("/admin/reviews/libraryimport/?q=importer", "import-list")
    assert page.locator("#result_list tbody tr").count() == 1
    assert "1 / 1" not in page.content() and "2 / 2" in page.content()
    assert _fits(page)
    page = curator(f"/admin/reviews/libraryimport/{library_import.pk}/change/", "import-view")
    assert page.locator("input[name=_save]").count() == 0
    unmatched = page.locator(".inline-group").inner_text()
    assert "A catalog book has this title, but by another author." in unmatched
    assert harry_potter.title in unmatched  # the nearest book, to compare with
    page.click("text=the 1 unmatched")
    page.wait_for_load_state()
    screenshot(page, "import-rows-unmatched")
    assert page.locator("#result_list tbody tr").count() == 1
    assert _fits(page)
    page.locator("#result_list tbody tr a").first.click()
    page.wait_for_load_state()
    screenshot(page, "import-row-view")
    assert "by another author" in page.content()
    assert LibraryImportRow.objects.get(library_import=library_import, number=2).outcome == "unmatched"
