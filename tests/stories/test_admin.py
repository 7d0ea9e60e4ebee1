import pytest

from stories import services
from stories.models import Story
from tests.stories.factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_story_admin_filters_and_retries(admin_client):
    story = StoryFactory()
    services.story_fail(story_id=story.pk, message="Clone failed: host unreachable")
    listing = admin_client.get(
        "/admin/stories/story/", {"status__exact": "failed", "narrative_style__exact": "documentary"}
    )
    assert story.title.encode() in listing.content
    page = admin_client.get(f"/admin/stories/story/{story.pk}/change/")
    assert b"host unreachable" in page.content
    admin_client.post("/admin/stories/story/", {"action": "retry", "_selected_action": [story.pk]})
    assert Story.objects.get(pk=story.pk).status == "pending"


def test_repository_admin_shows_cached_analysis(admin_client):
    story = StoryFactory()
    services.repository_cache_analysis(
        repository=story.repository, analysis={"head": "abc", "commit_count": 3}
    )
    page = admin_client.get(f"/admin/stories/repository/{story.repository_id}/change/")
    assert b"commit_count" in page.content


def test_staff_play_a_storys_audio_with_chapters_that_seek(admin_client, settings, tmp_path):
    from django.urls import reverse

    from stories.media import story_audio_path
    from stories.models import Story, StoryChapter

    settings.MEDIA_ROOT = tmp_path
    story = StoryFactory()
    audio = story_audio_path(story.pk)
    audio.parent.mkdir(parents=True)
    audio.write_bytes(b"RIFF" + bytes(1000))
    Story.objects.filter(pk=story.pk).update(audio_url=reverse("story-audio", kwargs={"pk": story.pk}))
    StoryChapter.objects.create(
        story=story, chapter_number=1, title="Introduction", script_segment="Hi.", start_time_seconds=0
    )
    StoryChapter.objects.create(
        story=story, chapter_number=2, title="Wrap-up", script_segment="Bye.", start_time_seconds=52.16
    )
    page = admin_client.get(f"/admin/stories/story/{story.pk}/change/").content.decode()
    assert f'src="/admin/stories/story/{story.pk}/audio/"' in page
    assert 'data-start="52.16">0:52</a> Wrap-up' in page
    assert page.count('class="story-seek"') >= 3 * story.chapters.count()  # timeline, list, inline
    played = admin_client.get(f"/admin/stories/story/{story.pk}/audio/", HTTP_RANGE="bytes=0-3")
    assert (played.status_code, b"".join(played.streaming_content)) == (206, b"RIFF")
    assert admin_client.get(f"/admin/stories/story/{StoryFactory().pk}/audio/").status_code == 404


def test_readers_cannot_use_the_admins_audio_view(client, user):
    client.force_login(user)
    response = client.get(f"/admin/stories/story/{StoryFactory().pk}/audio/")
    assert response.status_code == 302  # to the admin's sign-in
