"""The reader's repositories, intents and stories (with chapters) in the data archive
(``GET me/export/``), and the removal of their stories' audio when the account is deleted."""

from collections.abc import Callable

from rest_framework import serializers

from accounts import personal_data
from stories.media import story_media_remove
from stories.models import Repository, Story, StoryChapter, StoryIntent


class RepositoryExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Repository
        fields = [
            "id",
            "repo_url",
            "repo_owner",
            "repo_name",
            "default_branch",
            "last_analyzed_at",
            "created_at",
        ]
        read_only_fields = fields


class StoryIntentExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = StoryIntent
        fields = [
            "id",
            "repository",
            "intent_category",
            "expertise_level",
            "focus_areas",
            "learning_goals",
            "conversation_history",
            "generated_plan",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StoryChapterExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = StoryChapter
        fields = ["chapter_number", "title", "start_time_seconds", "duration_seconds", "script_segment"]
        read_only_fields = fields


class StoryExportSerializer(serializers.ModelSerializer):
    chapters = StoryChapterExportSerializer(many=True, read_only=True)

    class Meta:
        model = Story
        fields = [
            "id",
            "repository",
            "intent",
            "title",
            "narrative_style",
            "voice_id",
            "status",
            "script_text",
            "duration_seconds",
            "error_message",
            "chapters",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


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
        RepositoryExportSerializer,
    )
)
personal_data.register_section(
    personal_data.Section(
        "intents",
        lambda user: StoryIntent.objects.filter(user=user).order_by("created_at", "id"),
        StoryIntentExportSerializer,
    )
)
personal_data.register_section(
    personal_data.Section(
        "stories",
        lambda user: (
            Story.objects.filter(user=user).prefetch_related("chapters").order_by("created_at", "id")
        ),
        StoryExportSerializer,
    )
)
personal_data.register_cleanup("stories", _remove_story_media)
