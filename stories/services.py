from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from core.errors import ConflictError, QuotaExceededError
from core.services import UNSET, given, insert_or_conflict, model_update
from stories.analysis import is_local, parse_repo_url, remote_url_problem
from stories.media import orphaned_story_folders, story_media_remove
from stories.models import (
    NON_TERMINAL_STATUSES,
    ExpertiseLevel,
    Repository,
    Story,
    StoryChapter,
    StoryIntent,
    StoryStatus,
)
from stories.selectors import month_bounds, stories_used_this_month

INTENT_FIELDS = frozenset(
    {"intent_category", "expertise_level", "focus_areas", "learning_goals", "conversation_history"}
)


# --- repositories and intents ------------------------------------------------------------------------------


def repository_create(*, user: User, repo_url: str, default_branch: str = "main") -> Repository:
    repo_url = repo_url.strip()
    if is_local(repo_url):
        if not settings.STORY_ALLOW_LOCAL_REPOSITORIES:
            raise ValidationError(
                {"repo_url": "Local paths are not allowed here; use a public https:// URL."}
            )
    elif problem := remote_url_problem(repo_url, settings.STORY_FETCH_ALLOWED_NETWORKS):
        raise ValidationError({"repo_url": problem})
    try:
        owner, name = parse_repo_url(repo_url)
    except ValueError as exc:
        raise ValidationError({"repo_url": str(exc)}) from exc
    return Repository.objects.create(
        user=user, repo_url=repo_url, repo_owner=owner, repo_name=name, default_branch=default_branch
    )


def repository_update(*, repository: Repository, default_branch: str) -> Repository:
    repository.default_branch = default_branch
    repository.analysis_cache = {}  # another branch, another head
    repository.save(update_fields=["default_branch", "analysis_cache"])
    return repository


def repository_delete(*, repository: Repository) -> None:
    repository.delete()


def repository_cache_analysis(*, repository: Repository, analysis: dict) -> None:
    Repository.objects.filter(pk=repository.pk).update(
        analysis_cache=analysis, last_analyzed_at=timezone.now()
    )


def _check_owner(user: User, repository: Repository) -> None:
    if repository.user_id != user.pk:
        raise ValidationError({"repository": "This repository belongs to another reader."})


def intent_create(
    *,
    user: User,
    repository: Repository,
    intent_category: str,
    expertise_level: str = ExpertiseLevel.INTERMEDIATE,
    focus_areas: list[str] | None = None,
    learning_goals: str = "",
    conversation_history: list[dict] | None = None,
) -> StoryIntent:
    _check_owner(user, repository)
    intent = StoryIntent(
        user=user,
        repository=repository,
        intent_category=intent_category,
        expertise_level=expertise_level,
        focus_areas=focus_areas or [],
        learning_goals=learning_goals,
        conversation_history=conversation_history or [],
    )
    intent.full_clean()
    intent.save()
    return intent


def intent_update(
    *,
    intent: StoryIntent,
    intent_category: str = UNSET,
    expertise_level: str = UNSET,
    focus_areas: list[str] = UNSET,
    learning_goals: str = UNSET,
    conversation_history: list[dict] = UNSET,
) -> StoryIntent:
    data = given(locals(), INTENT_FIELDS)
    return model_update(instance=intent, fields=INTENT_FIELDS, data=data)


def intent_delete(*, intent: StoryIntent) -> None:
    intent.delete()


# --- quota ---------------------------------------------------------------------------------------------------


# --- stories ------------------------------------------------------------------------------------------------


def _enqueue(story_id) -> None:
    from stories.tasks import generate_story

    transaction.on_commit(lambda: generate_story.enqueue(str(story_id)))


@transaction.atomic
def story_create(
    *,
    user: User,
    repository: Repository,
    intent: StoryIntent | None = None,
    title: str = "",
    narrative_style: str = "documentary",
    voice_id: str = "en-us",
    since_story: "Story | None" = None,
    since_commit: str = "",
) -> Story:
    """Create a pending story and enqueue its generation, within the user's monthly quota. With
    ``since_story`` (an earlier, complete story of the same repository) or ``since_commit``, the story tells
    what changed since then.

    The user's row is locked first, so concurrent creations by one user are counted one at a time.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.usage_quota is not None:
        now = timezone.now()
        if stories_used_this_month(user=user, now=now) >= user.usage_quota:
            _start, end = month_bounds(user=user, now=now)
            raise QuotaExceededError(
                f"Monthly story quota reached ({user.usage_quota} on the {user.subscription_tier} plan). "
                f"It renews on {end.date().isoformat()} ({user.timezone}).",
                retry_after=int((end - now).total_seconds()),
            )
    _check_owner(user, repository)
    if intent is not None and intent.repository_id != repository.pk:
        raise ValidationError({"intent": "This intent is about another repository."})
    if since_story is not None and since_commit:
        raise ValidationError({"since_commit": "Give an earlier story or a commit, not both."})
    if since_story is not None:
        if since_story.repository_id != repository.pk:
            raise ValidationError({"since_story": "That story is about another repository."})
        if not since_story.commit_sha:
            raise ValidationError({"since_story": "That story has not finished, so it names no commit yet."})
    story = Story(
        user=user,
        repository=repository,
        intent=intent,
        title=title.strip() or str(repository),
        title_given=bool(title.strip()),
        narrative_style=narrative_style,
        voice_id=voice_id,
        since_story=since_story,
        since_commit_sha=since_commit.strip().lower(),
    )
    story.full_clean(validate_unique=False, validate_constraints=False)
    insert_or_conflict(
        lambda: story.save(force_insert=True), conflict=ConflictError("This intent already has a story.")
    )
    _enqueue(story.pk)
    return story


def story_transition(*, story_id, from_status: str, to_status: str, **fields) -> bool:
    """Move a story from ``from_status`` to ``to_status`` in one conditional UPDATE.

    Returns False when the story was not in ``from_status`` (another worker advanced it, or it failed),
    so two workers can never both perform the same step.
    """
    updated = Story.objects.filter(pk=story_id, status=from_status).update(
        status=to_status, status_changed_at=timezone.now(), **fields
    )
    return updated == 1


def story_fail(*, story_id, message: str) -> bool:
    return (
        Story.objects.filter(pk=story_id, status__in=NON_TERMINAL_STATUSES).update(
            status=StoryStatus.FAILED,
            error_message=message[:2000],
            status_changed_at=timezone.now(),
            lease_expires_at=None,
        )
        == 1
    )


@transaction.atomic
def story_write_script(*, story: Story, chapters: list[tuple[str, str, list[dict]]]) -> list[StoryChapter]:
    """Store a story's script as ``(title, text, anchors)`` chapters (a retried story starts over), the
    whole script on the story, and the chapter plan on its intent."""
    StoryChapter.objects.filter(story=story).delete()
    written = StoryChapter.objects.bulk_create(
        [
            StoryChapter(
                story=story, chapter_number=number, title=title[:300], script_segment=text, anchors=anchors
            )
            for number, (title, text, anchors) in enumerate(chapters, start=1)
        ]
    )
    script = "\n\n".join(f"{title}\n{text}" for title, text, _anchors in chapters)
    Story.objects.filter(pk=story.pk).update(script_text=script)
    if story.intent_id is not None:
        StoryIntent.objects.filter(pk=story.intent_id).update(
            generated_plan={"chapters": [title for title, _text, _anchors in chapters]}
        )
    return written


def story_pin(*, story: Story, commit_sha: str, since_commit_sha: str, title: str) -> None:
    """Record the commit a story describes (and the one it tells the changes since), and its title."""
    Story.objects.filter(pk=story.pk).update(
        commit_sha=commit_sha, since_commit_sha=since_commit_sha, title=title[:300]
    )
    story.commit_sha, story.since_commit_sha, story.title = commit_sha, since_commit_sha, title[:300]


def story_set_transcript(*, story: Story, transcript_vtt: str, chapters_vtt: str) -> None:
    Story.objects.filter(pk=story.pk).update(transcript_vtt=transcript_vtt, chapters_vtt=chapters_vtt)


def story_chapters_time(*, chapters: list[StoryChapter]) -> None:
    """Save each chapter's start, length and audio URL, as measured from its audio, in one statement."""
    StoryChapter.objects.bulk_update(chapters, ["start_time_seconds", "duration_seconds", "audio_url"])


def story_rename(*, story: Story, title: str) -> Story:
    title = title.strip()
    try:
        story.title = Story._meta.get_field("title").clean(title, story)
    except ValidationError as exc:
        raise ValidationError({"title": exc.messages}) from exc
    # A title its owner chose stays; one the story found (the project's name) may be found again.
    Story.objects.filter(pk=story.pk).exclude(title=story.title).update(title=story.title, title_given=True)
    return story


@transaction.atomic
def story_retry(*, story: Story) -> Story:
    stories_fail_stuck()  # a story whose worker died can be retried at once, sweeper or not
    if not story_transition(
        story_id=story.pk, from_status=StoryStatus.FAILED, to_status=StoryStatus.PENDING, error_message=""
    ):
        raise ConflictError(
            f"Only a failed story can be retried; this one is {Story.objects.get(pk=story.pk).status}."
        )
    _enqueue(story.pk)
    return Story.objects.get(pk=story.pk)


def story_delete(*, story: Story) -> None:
    story.delete()


def story_media_purge_orphans() -> int:
    """Remove the audio folders of stories that no longer exist; returns how many were removed."""
    existing = {str(pk) for pk in Story.objects.values_list("pk", flat=True)}
    orphans = orphaned_story_folders(existing_ids=existing)
    for folder in orphans:
        story_media_remove(story_id=folder.name)
    return len(orphans)


def story_lease_renew(*, story_id) -> bool:
    """Push the lease of a story in progress ``STORY_LEASE_SECONDS`` ahead. False once the story is
    terminal. A row locked by someone else is skipped this round rather than waited for."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE stories SET lease_expires_at = clock_timestamp() + make_interval(secs => %s)
            WHERE id = (SELECT id FROM stories WHERE id = %s AND status = ANY(%s) FOR UPDATE SKIP LOCKED)
            """,
            [settings.STORY_LEASE_SECONDS, story_id, list(NON_TERMINAL_STATUSES)],
        )
        if cursor.rowcount == 1:
            return True
    return Story.objects.filter(pk=story_id, status__in=NON_TERMINAL_STATUSES).exists()


GENERATE_STORY_TASK = "stories.tasks.generate_story"


@transaction.atomic
def stories_fail_stuck(*, older_than_seconds: int | None = None) -> int:
    """Fail stories whose worker is gone, so they can be retried, and end that worker's task row.

    A story in progress whose lease ran out lost its worker (killed, or its machine died); a story with no
    lease that made no progress for ``older_than_seconds`` (default ``STORY_STUCK_AFTER_SECONDS``) was
    never picked up by a live worker.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    seconds = older_than_seconds if older_than_seconds is not None else settings.STORY_STUCK_AFTER_SECONDS
    now = timezone.now()
    in_progress = Story.objects.filter(status__in=NON_TERMINAL_STATUSES)
    lost = list(
        in_progress.filter(lease_expires_at__lt=now)
        .select_for_update(skip_locked=True)
        .values_list("pk", "status")
    )
    for story_id, status in lost:
        Story.objects.filter(pk=story_id, status=status).update(
            status=StoryStatus.FAILED,
            error_message=f"The worker stopped while the story was {status}; retry the story.",
            status_changed_at=now,
            lease_expires_at=None,
        )
    stale = in_progress.filter(
        lease_expires_at__isnull=True, status_changed_at__lt=now - timedelta(seconds=seconds)
    )
    failed_stale = stale.update(
        status=StoryStatus.FAILED,
        error_message=f"No progress for {seconds // 60} minutes (the worker may have stopped); retry the story.",
        status_changed_at=now,
    )
    if lost:
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING,
            task_path=GENERATE_STORY_TASK,
            args_kwargs__args__0__in=[str(story_id) for story_id, _status in lost],
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="stories.pipeline.WorkerLost",
            traceback="The worker running this task stopped before it finished (its story's lease expired).",
        )
    return len(lost) + failed_stale
