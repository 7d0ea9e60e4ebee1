"""Story audio is served to its owner only, with byte ranges, and goes when its story goes."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services as account_services
from stories import services
from stories.media import chapter_audio_path, story_audio_path
from stories.models import Story, StoryChapter
from tests.accounts.factories import UserFactory
from tests.stories.factories import RepositoryFactory, StoryFactory

pytestmark = pytest.mark.django_db

AUDIO = bytes(range(256)) * 40  # 10,240 bytes whose every offset is recognisable


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _story_with_audio(user=None) -> Story:
    story = StoryFactory(**({"user": user, "repository": RepositoryFactory(user=user)} if user else {}))
    path = story_audio_path(story.pk)
    path.parent.mkdir(parents=True)
    path.write_bytes(AUDIO)
    chapter_audio_path(story.pk, 1).write_bytes(AUDIO[:100])
    Story.objects.filter(pk=story.pk).update(audio_url=reverse("story-audio", kwargs={"pk": story.pk}))
    StoryChapter.objects.create(
        story=story,
        chapter_number=1,
        title="Introduction",
        script_segment="Hello.",
        audio_url=reverse("story-chapter-audio", kwargs={"pk": story.pk, "chapter_number": 1}),
    )
    return story


def _owner_client(story: Story) -> APIClient:
    client = APIClient()
    client.force_authenticate(story.user)
    return client


def test_owner_gets_the_whole_file_and_the_story_links_to_it():
    story = _story_with_audio()
    client = _owner_client(story)
    detail = client.get(f"/api/v1/stories/{story.pk}/").json()
    assert detail["audio_url"] == f"/api/v1/stories/{story.pk}/audio/"
    assert detail["chapters"][0]["audio_url"] == f"/api/v1/stories/{story.pk}/chapters/1/audio/"
    response = client.get(detail["audio_url"], HTTP_ACCEPT="audio/wav")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(AUDIO))
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == AUDIO
    chapter = client.get(detail["chapters"][0]["audio_url"])
    assert b"".join(chapter.streaming_content) == AUDIO[:100]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-9", 0, 9), ("bytes=100-", 100, len(AUDIO) - 1), ("bytes=-16", len(AUDIO) - 16, len(AUDIO) - 1),
     ("bytes=10000-999999", 10000, len(AUDIO) - 1), ("bytes=-999999", 0, len(AUDIO) - 1)],
)  # fmt: skip
def test_byte_ranges_let_players_seek(header, first, last):
    story = _story_with_audio()
    response = _owner_client(story).get(f"/api/v1/stories/{story.pk}/audio/", HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert b"".join(response.streaming_content) == AUDIO[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=99999-100000", "bytes=-0", "bytes=20-10"])
def test_a_range_outside_the_file_is_416(header):
    story = _story_with_audio()
    response = _owner_client(story).get(f"/api/v1/stories/{story.pk}/audio/", HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(AUDIO)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=abc", "bytes=-"])
def test_ranges_we_do_not_serve_get_the_whole_file(header):
    story = _story_with_audio()
    response = _owner_client(story).get(f"/api/v1/stories/{story.pk}/audio/", HTTP_RANGE=header)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == AUDIO


def test_audio_is_404_for_anyone_else_and_401_for_anonymous():
    story = _story_with_audio()
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    urls = [f"/api/v1/stories/{story.pk}/audio/", f"/api/v1/stories/{story.pk}/chapters/1/audio/"]
    for url in urls:
        assert stranger.get(url).status_code == 404
        assert stranger.get(url).json() == {"detail": "Not found."}
        assert APIClient().get(url).status_code in (401, 403)


def test_audio_works_with_a_read_only_api_key():
    story = _story_with_audio()
    _key, secret = account_services.api_key_create(user=story.user, name="player", permissions=[])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert client.get(f"/api/v1/stories/{story.pk}/audio/", HTTP_RANGE="bytes=0-0").status_code == 206


def test_no_audio_and_missing_chapters_are_404():
    story = StoryFactory()
    client = _owner_client(story)
    assert client.get(f"/api/v1/stories/{story.pk}/audio/").status_code == 404
    assert client.get(f"/api/v1/stories/{story.pk}/chapters/7/audio/").status_code == 404


def test_media_files_are_not_served_under_media(client, media):
    story = _story_with_audio()
    assert client.get(f"/media/stories/{story.pk}/story.wav").status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("delete", ["story", "repository", "user"])
def test_deleting_a_story_its_repository_or_its_user_removes_its_files(delete):
    story = _story_with_audio(UserFactory())
    folder = story_audio_path(story.pk).parent
    if delete == "story":
        services.story_delete(story=story)
    elif delete == "repository":
        services.repository_delete(repository=story.repository)
    else:
        story.user.delete()
    assert not folder.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_delete_keeps_the_files():
    story = _story_with_audio(UserFactory())
    audio = story_audio_path(story.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.story_delete(story=story)
        raise RuntimeError
    assert audio.exists()


def test_the_reaper_removes_audio_of_stories_deleted_by_raw_sql():
    kept, gone = _story_with_audio(), _story_with_audio()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM stories WHERE id = %s", [gone.pk])
    output = StringIO()
    call_command("reap_stuck_stories", stdout=output)
    assert "Removed the audio of 1 deleted story" in output.getvalue()
    assert not story_audio_path(gone.pk).parent.exists()
    assert story_audio_path(kept.pk).exists()
