import re

from rest_framework import serializers

from api.serializers import StrictSerializer
from stories.models import (
    ExpertiseLevel,
    IntentCategory,
    NarrativeStyle,
    Repository,
    Story,
    StoryChapter,
    StoryIntent,
)

VOICE_ID = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,12}){0,3}$")
BRANCH = re.compile(r"^[A-Za-z0-9._/-]{1,255}$")


class StrictStringField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of turning them into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class RepositoryReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = Repository
        fields = [
            "id",
            "repo_url",
            "repo_owner",
            "repo_name",
            "default_branch",
            "analysis_cache",
            "last_analyzed_at",
            "created_at",
        ]
        read_only_fields = fields


class RepositoryWriteSerializer(StrictSerializer):
    repo_url = StrictStringField(max_length=1000)
    default_branch = serializers.RegexField(BRANCH, required=False, default="main")


class RepositoryUpdateSerializer(StrictSerializer):
    default_branch = serializers.RegexField(BRANCH)


class ConversationTurnSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=["user", "assistant", "system"])
    content = StrictStringField(max_length=5000, allow_blank=True)


class IntentReadSerializer(serializers.ModelSerializer):
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


class IntentWriteSerializer(StrictSerializer):
    repository = serializers.UUIDField()
    intent_category = serializers.ChoiceField(choices=IntentCategory.choices)
    expertise_level = serializers.ChoiceField(choices=ExpertiseLevel.choices, required=False)
    focus_areas = serializers.ListField(
        child=StrictStringField(max_length=100), max_length=10, required=False, help_text="A list of strings."
    )
    learning_goals = StrictStringField(max_length=5000, required=False, allow_blank=True)
    # DRF passes max_length on to the ListSerializer that many=True builds; the stubs do not know it.
    conversation_history = ConversationTurnSerializer(  # type: ignore[call-arg]
        many=True, required=False, max_length=100
    )


class IntentUpdateSerializer(IntentWriteSerializer):
    repository = None  # type: ignore[assignment]  # DRF's way to drop an inherited field
    intent_category = serializers.ChoiceField(choices=IntentCategory.choices, required=False)


class ChapterSerializer(serializers.ModelSerializer):
    class Meta:
        model = StoryChapter
        fields = [
            "chapter_number",
            "title",
            "start_time_seconds",
            "duration_seconds",
            "script_segment",
            "audio_url",
            "anchors",
        ]
        read_only_fields = fields


class StoryReadSerializer(serializers.ModelSerializer):
    audio_available = serializers.SerializerMethodField(
        help_text="False when no voice backend produced audio."
    )

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
            "error_message",
            "audio_url",
            "audio_available",
            "duration_seconds",
            "commit_sha",
            "since_story",
            "since_commit_sha",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields

    def get_audio_available(self, story: Story) -> bool:
        return bool(story.audio_url)


class StoryDetailSerializer(StoryReadSerializer):
    chapters = ChapterSerializer(many=True, read_only=True)

    class Meta(StoryReadSerializer.Meta):
        fields = [*StoryReadSerializer.Meta.fields, "script_text", "chapters"]
        read_only_fields = fields


class StoryWriteSerializer(StrictSerializer):
    repository = serializers.UUIDField()
    intent = serializers.UUIDField(required=False, allow_null=True)
    title = StrictStringField(max_length=300, required=False, allow_blank=True, default="")
    narrative_style = serializers.ChoiceField(
        choices=NarrativeStyle.choices, required=False, default="documentary"
    )
    voice_id = serializers.RegexField(
        VOICE_ID, required=False, default="en-us", help_text="An espeak-ng voice such as en-us, en-gb, fr."
    )
    since_story = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="An earlier story of this repository: tell what changed since.",
    )
    since_commit = serializers.RegexField(
        r"^[0-9a-fA-F]{7,40}$",
        required=False,
        help_text="An earlier commit (7 to 40 hex digits) of the branch: tell what changed since.",
    )


class UsageSerializer(serializers.Serializer):
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    timezone = serializers.CharField()
    subscription_tier = serializers.CharField()
    quota = serializers.IntegerField(allow_null=True, help_text="Null: unlimited.")
    used = serializers.IntegerField()
    left = serializers.IntegerField(allow_null=True)
