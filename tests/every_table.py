"""Data for tests that need every table holding rows."""

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission

from accounts.services import api_key_create
from accounts.sessions import SessionStore
from catalog.models import BookGenre
from collections_app import services as collections
from favorites.services import favorite_add
from ratelimits.services import rate_limit_hit
from reviews import library_services
from reviews.services import review_create
from stories.models import StoryChapter
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory, GenreFactory
from tests.collections_app.factories import CollectionFactory
from tests.stories.factories import IntentFactory, StoryFactory


def rows_in_every_table() -> None:
    """A row in every table of every app, through the services where there is one."""
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name="Curators")[0])
    user.user_permissions.add(Permission.objects.first())
    api_key_create(user=user, name="deploy", permissions=["reviews:write"])
    genre = GenreFactory()
    book, other = BookFactory(), BookFactory()
    BookGenre.objects.create(book=book, genre=genre)
    review_create(user=user, book=book, rating=4, review_text="Good.")
    favorite_add(user=user, book=book)
    collection = CollectionFactory(created_by=user)
    group = collections.group_create(collection=collection, name="Now")
    collections.group_set_books(group=group, books=[book, other])
    rate_limit_hit(bucket="anon:test", limit=10, window_seconds=60)
    intent = IntentFactory(user=user)
    story = StoryFactory(user=user, repository=intent.repository)
    StoryChapter.objects.create(story=story, chapter_number=1, title="One", script_segment="Text.")
    header = "Title,Author,ISBN,ISBN13,My Rating,Exclusive Shelf\n"
    waiting = library_services.library_import_start(  # its file is kept until a worker reads it
        user=user, file_name="a.csv", data=f"{header}{book.title},{book.author},,,4,read\n".encode()
    )
    done = library_services.library_import_start(
        user=user, file_name="b.csv", data=f"{header}{other.title},{other.author},,,5,read\n".encode()
    )
    library_services.library_import_run(import_id=done.pk)
    assert waiting.pk != done.pk
    session = SessionStore()  # a signed-in session, its user beside it
    session[SESSION_KEY] = str(user.pk)
    session.save()
