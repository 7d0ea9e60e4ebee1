"""The reader's repositories, intents and stories (with chapters) in the data archive
(``GET me/export/``), as the stories API shows them, and the removal of their stories' audio when the
account is deleted."""

from collections.abc import Callable

from accounts import personal_data
from stories.api.serializers import IntentReadSerializer, RepositoryReadSerializer, StoryDetailSerializer
from stories.media import story_media_remove
from stories.models import Repository, Story, StoryIntent


def _remove_story_media(user) -> Callable[[], None] | None:
    story_ids = list(Story.objects.filter(user=user).values_list("pk", flat=True))

    def remove() -> None:
        for story_id in story_ids:
            story_media_remove(story_id=story_id)

    return remove if story_ids else None


personal_data.register_section(
    personal_data.Section(
        "repositories",
        lambda user: Repository.objects.filter(user=user).order_by("created_at", "id"),
        RepositoryReadSerializer,
    )
)
personal_data.register_section(
    personal_data.Section(
        "intents",
        lambda user: StoryIntent.objects.filter(user=user).order_by("created_at", "id"),
        IntentReadSerializer,
    )
)
personal_data.register_section(
    personal_data.Section(
        "stories",
        lambda user: (
            Story.objects.filter(user=user).prefetch_related("chapters").order_by("created_at", "id")
        ),
        StoryDetailSerializer,
    )
)
personal_data.register_cleanup("stories", _remove_story_media)
