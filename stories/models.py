import uuid

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone


class IntentCategory(models.TextChoices):
    ONBOARDING = "onboarding"
    ARCHITECTURE = "architecture"
    FEATURE = "feature"
    DEBUGGING = "debugging"


class ExpertiseLevel(models.TextChoices):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    EXPERT = "expert"


class NarrativeStyle(models.TextChoices):
    FICTION = "fiction"
    DOCUMENTARY = "documentary"
    TUTORIAL = "tutorial"
    PODCAST = "podcast"
    TECHNICAL = "technical"


class StoryStatus(models.TextChoices):
    PENDING = "pending"
    ANALYZING = "analyzing"
    GENERATING = "generating"
    SYNTHESIZING = "synthesizing"
    COMPLETE = "complete"
    FAILED = "failed"


NON_TERMINAL_STATUSES = (
    StoryStatus.PENDING,
    StoryStatus.ANALYZING,
    StoryStatus.GENERATING,
    StoryStatus.SYNTHESIZING,
)


def _choice_check(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Repository(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repositories")
    repo_url = models.CharField(max_length=1000, help_text="A local path, a file:// URL or a remote git URL.")
    repo_owner = models.CharField(max_length=255, blank=True, default="", db_default="")
    repo_name = models.CharField(max_length=255)
    default_branch = models.CharField(max_length=255, default="main", db_default="main")
    analysis_cache = models.JSONField(
        default=dict, db_default=models.Value({}, models.JSONField()), blank=True
    )
    last_analyzed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = "repositories"
        verbose_name_plural = "repositories"
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="repositories_user_created_idx")]

    def __str__(self) -> str:
        return f"{self.repo_owner}/{self.repo_name}" if self.repo_owner else self.repo_name


class StoryIntent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_intents")
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="intents")
    intent_category = models.CharField(max_length=20, choices=IntentCategory.choices)
    expertise_level = models.CharField(
        max_length=20,
        choices=ExpertiseLevel.choices,
        default=ExpertiseLevel.INTERMEDIATE,
        db_default="intermediate",
    )
    focus_areas = models.JSONField(default=list, db_default=models.Value([], models.JSONField()), blank=True)
    learning_goals = models.TextField(blank=True, default="", db_default="", max_length=5000)
    conversation_history = models.JSONField(
        default=list, db_default=models.Value([], models.JSONField()), blank=True
    )
    generated_plan = models.JSONField(
        default=dict, db_default=models.Value({}, models.JSONField()), blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        db_table = "story_intents"
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="story_intents_user_created_idx")]
        constraints = [
            _choice_check("intent_category", IntentCategory, "stories_intent_category_valid"),
            _choice_check("expertise_level", ExpertiseLevel, "stories_intent_expertise_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.intent_category} ({self.expertise_level}) on {self.repository}"


class Story(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories")
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="stories")
    intent = models.OneToOneField(
        StoryIntent, on_delete=models.SET_NULL, null=True, blank=True, related_name="story"
    )
    title = models.CharField(max_length=300)
    title_given = models.BooleanField(
        default=False, db_default=False, help_text="False: the story is named after the project it finds."
    )
    commit_sha = models.CharField(
        max_length=40, blank=True, default="", db_default="", help_text="The commit the story describes."
    )
    since_story = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An earlier story of the same repository: this one tells what changed since.",
    )
    since_commit_sha = models.CharField(
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text="The earlier commit this story tells the changes since (as given, or the earlier story's).",
    )
    transcript_vtt = models.TextField(blank=True, default="", db_default="", editable=False)
    chapters_vtt = models.TextField(blank=True, default="", db_default="", editable=False)
    narrative_style = models.CharField(
        max_length=20,
        choices=NarrativeStyle.choices,
        default=NarrativeStyle.DOCUMENTARY,
        db_default="documentary",
    )
    voice_id = models.CharField(max_length=100, default="en-us", db_default="en-us")
    script_text = models.TextField(blank=True, default="", db_default="")
    audio_url = models.CharField(max_length=1000, blank=True, default="", db_default="")
    duration_seconds = models.FloatField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=StoryStatus.choices, default=StoryStatus.PENDING, db_default="pending"
    )
    error_message = models.TextField(blank=True, default="", db_default="")
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    status_changed_at = models.DateTimeField(
        default=timezone.now, db_default=Now(), help_text="Last progress; the stuck-story reaper reads it."
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="While a worker processes the story it renews this; once it passes, the worker is gone.",
    )

    class Meta:
        db_table = "stories"
        verbose_name_plural = "stories"
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="stories_user_created_idx"),
            models.Index(
                fields=["status_changed_at"],
                name="stories_in_progress_idx",
                condition=Q(status__in=NON_TERMINAL_STATUSES),
            ),
            models.Index(fields=["status"], name="stories_status_idx"),
            models.Index(
                fields=["lease_expires_at"],
                name="stories_lease_idx",
                condition=Q(status__in=NON_TERMINAL_STATUSES, lease_expires_at__isnull=False),
            ),
        ]
        constraints = [
            _choice_check("status", StoryStatus, "stories_story_status_valid"),
            _choice_check("narrative_style", NarrativeStyle, "stories_story_style_valid"),
            models.CheckConstraint(
                condition=Q(status=StoryStatus.COMPLETE, completed_at__isnull=False)
                | (~Q(status=StoryStatus.COMPLETE) & Q(completed_at__isnull=True)),
                name="stories_story_completed_at_iff_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StoryChapter(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="chapters")
    chapter_number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    start_time_seconds = models.FloatField(default=0)
    duration_seconds = models.FloatField(default=0)
    script_segment = models.TextField()
    audio_url = models.CharField(max_length=1000, blank=True, default="", db_default="")
    anchors = models.JSONField(
        default=list,
        db_default=models.Value([], models.JSONField()),
        blank=True,
        help_text="What the chapter talks about, at the story's commit: [{path, start_line, end_line, name}].",
    )
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = "story_chapters"
        ordering = ["story", "chapter_number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "chapter_number"], name="stories_chapter_number_unique"),
            models.CheckConstraint(
                condition=Q(chapter_number__gte=1), name="stories_chapter_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chapter_number}. {self.title}"


class StoryCreation(models.Model):
    """One row for every story ever created; the monthly quota counts these, so deleting a story gives no
    quota back. A database trigger on ``stories`` writes them, whichever path inserts the story."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    story_id = models.UUIDField(help_text="The story created; it may since have been deleted.")
    created_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        db_table = "story_creations"
        indexes = [models.Index(fields=["user", "created_at"], name="story_creations_user_idx")]

    def __str__(self) -> str:
        return f"story {self.story_id} created {self.created_at:%Y-%m-%d}"
