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
