"""The generation pipeline: analyzing → generating → synthesizing → complete.

Each step begins with a conditional status transition; a worker that loses it stops, so a story is never
processed twice. Any error fails the story with a readable message, and nothing else is affected.
"""

import logging
import threading
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

from stories import services, speech
from stories.analysis import (
    ANALYSIS_VERSION,
    RepositoryError,
    analyze,
    compare,
    head_commit_id,
    open_repository,
    resolve_ancestor,
)
from stories.fetching import FetchLimits
from stories.media import chapter_audio_path, sentence_audio_path, story_audio_path
from stories.models import Story, StoryChapter, StoryStatus
from stories.narrators import StoryBrief, get_narrator
from stories.transcripts import Cue, vtt
from stories.voices import VoiceError, concatenate_wavs, estimated_duration, get_voice_backend

logger = logging.getLogger(__name__)


class StepLost(Exception):
    """Another worker (or a failure, or the reaper) moved the story on; this worker stops quietly."""


def _advance(story: Story, from_status: str, to_status: str, **fields) -> None:
    if not services.story_transition(
        story_id=story.pk, from_status=from_status, to_status=to_status, **fields
    ):
        raise StepLost


class LeaseKeeper:
    """Renews the story's lease from a thread of its own while the pipeline works, so a long step (a
    fetch, speech synthesis) never lets it lapse; a worker that dies stops renewing, and the sweeper
    (``services.stories_fail_stuck``) fails the story once the lease has run out."""

    def __init__(self, story_id):
        self.story_id = story_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, name=f"lease-{story_id}", daemon=True)

    def __enter__(self) -> "LeaseKeeper":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _renew(self) -> None:
        interval = max(settings.STORY_LEASE_SECONDS / 3, 0.1)
        try:
            while not self._stop.wait(interval):
                try:
                    if not services.story_lease_renew(story_id=self.story_id):
                        return  # finished, failed or reaped: nothing left to hold
                except DatabaseError:
                    logger.warning("could not renew the lease of story %s; will try again", self.story_id)
        finally:
            connection.close()  # this thread's own connection


def run(story_id) -> str:
    story = Story.objects.select_related("repository", "intent").filter(pk=story_id).first()
    if story is None:
        return "missing"
    try:
        _advance(
            story,
            StoryStatus.PENDING,
            StoryStatus.ANALYZING,
            lease_expires_at=timezone.now() + timedelta(seconds=settings.STORY_LEASE_SECONDS),
        )
        with LeaseKeeper(story.pk):
            return _generate(story)
    except StepLost:
        return "skipped"


def _generate(story: Story) -> str:
    try:
        analysis = analyze_repository(story)
        _advance(story, StoryStatus.ANALYZING, StoryStatus.GENERATING)
        chapters = write_chapters(story, analysis)
        _advance(story, StoryStatus.GENERATING, StoryStatus.SYNTHESIZING)
        duration, audio_url = synthesize(story, chapters)
        _advance(
            story,
            StoryStatus.SYNTHESIZING,
            StoryStatus.COMPLETE,
            completed_at=timezone.now(),
            duration_seconds=duration,
            audio_url=audio_url,
            lease_expires_at=None,
        )
        return StoryStatus.COMPLETE
    except StepLost:
        return "skipped"
    except (RepositoryError, VoiceError) as exc:
        services.story_fail(story_id=story.pk, message=str(exc))
    except Exception as exc:  # a bug must fail the story, not leave it stuck
        logger.exception("story %s failed", story.pk)
        services.story_fail(
            story_id=story.pk, message=f"Generation failed unexpectedly ({type(exc).__name__})."
        )
    return StoryStatus.FAILED


def fetch_limits() -> FetchLimits:
    return FetchLimits(
        connect_timeout=settings.STORY_FETCH_CONNECT_TIMEOUT_SECONDS,
        read_timeout=settings.STORY_FETCH_READ_TIMEOUT_SECONDS,
        deadline=settings.STORY_FETCH_DEADLINE_SECONDS,
        max_bytes=settings.STORY_FETCH_MAX_BYTES,
        allowed_networks=tuple(settings.STORY_FETCH_ALLOWED_NETWORKS),
    )


def analyze_repository(story: Story) -> dict:
    """The analysis of the repository at its branch's head (cached per head), with, for a story of what
    changed, the changes since the earlier commit; the story is pinned to the head it describes and, unless
    its owner named it, named after the project."""
    repository = story.repository
    # Checked again at run time: a repository saved under other settings must not be read under these.
    with open_repository(
        repository.repo_url, fetch_limits(), allow_local=settings.STORY_ALLOW_LOCAL_REPOSITORIES
    ) as repo:
        head = head_commit_id(repo, repository.default_branch)
        cached = repository.analysis_cache or {}
        if cached.get("head") == head.decode() and cached.get("version") == ANALYSIS_VERSION:
            analysis = cached  # the head has not moved: the cached analysis still describes it
        else:
            analysis = analyze(repo, head)
            services.repository_cache_analysis(repository=repository, analysis=analysis)
        since, earlier_chapters = _since(story)
        if since:
            since_id = resolve_ancestor(repo, head, since)
            analysis = {**analysis, "changes": compare(repo, since_id, head, earlier_chapters)}
            since = since_id.decode()
    name = (analysis.get("project") or {}).get("name") or str(repository)
    title = story.title
    if not story.title_given:
        title = f"{name}: what changed since {since[:7]}" if since else name
    services.story_pin(story=story, commit_sha=head.decode(), since_commit_sha=since, title=title)
    return analysis


def _since(story: Story) -> tuple[str, list[dict] | None]:
    """The earlier commit a story of what changed starts from, and the earlier story's chapters if any."""
    if story.since_story_id is None:
        return story.since_commit_sha, None
    earlier = Story.objects.filter(pk=story.since_story_id).first()
    if earlier is None or not earlier.commit_sha:
        raise RepositoryError(
            "The earlier story is gone or never finished, so there is nothing to compare with."
        )
    chapters = [
        {"chapter_number": number, "title": title, "anchors": anchors}
        for number, title, anchors in earlier.chapters.order_by("chapter_number").values_list(
            "chapter_number", "title", "anchors"
        )
    ]
    return earlier.commit_sha, chapters


def write_chapters(story: Story, analysis: dict) -> list[StoryChapter]:
    intent = story.intent
    brief = StoryBrief(
        repository_name=str(story.repository),
        narrative_style=story.narrative_style,
        intent_category=intent.intent_category if intent else "onboarding",
        expertise_level=intent.expertise_level if intent else "intermediate",
        focus_areas=list(intent.focus_areas) if intent else [],
        learning_goals=intent.learning_goals if intent else "",
    )
    drafts = get_narrator().write(analysis, brief)
    return services.story_write_script(
        story=story, chapters=[(draft.title, draft.text, draft.anchors) for draft in drafts]
    )


def synthesize(story: Story, chapters: list[StoryChapter]) -> tuple[float, str]:
    """Speak every chapter a sentence at a time, so the transcript's cues start and end where the audio
    says each sentence; chapter start times and durations, and the story's length, come from the same
    audio. Without a voice the times are estimated from the words."""
    voice = get_voice_backend()
    start = 0.0
    parts: list[Path] = []
    cues: list[Cue] = []
    markers: list[Cue] = []
    for chapter in chapters:
        number = chapter.chapter_number
        chapter_start = start
        sentence_files: list[Path] = []
        lines = [speech.sentence(chapter.title), *speech.sentences(chapter.script_segment)]
        for index, line in enumerate(lines, start=1):
            if voice is None:
                duration = estimated_duration(line)
            else:
                path = sentence_audio_path(story.pk, number, index)
                duration = voice.speak(line, story.voice_id, path)
                sentence_files.append(path)
            cues.append(Cue(start, start + duration, line, f"chapter-{number}-{index}"))
            start += duration
        audio_url = ""
        if sentence_files:
            concatenate_wavs(sentence_files, chapter_audio_path(story.pk, number))
            for path in sentence_files:
                path.unlink(missing_ok=True)
            parts.append(chapter_audio_path(story.pk, number))
            audio_url = reverse("story-chapter-audio", kwargs={"pk": story.pk, "chapter_number": number})
        chapter.start_time_seconds = round(chapter_start, 3)
        chapter.duration_seconds = round(start - chapter_start, 3)
        chapter.audio_url = audio_url
        markers.append(Cue(chapter_start, start, f"{number}. {chapter.title}", f"chapter-{number}"))
    services.story_chapters_time(chapters=chapters)
    story_audio = ""
    if parts:
        concatenate_wavs(parts, story_audio_path(story.pk))
        story_audio = reverse("story-audio", kwargs={"pk": story.pk})
    title = Story.objects.values_list("title", flat=True).get(pk=story.pk)
    services.story_set_transcript(
        story=story, transcript_vtt=vtt(cues, title), chapters_vtt=vtt(markers, title)
    )
    return round(start, 3), story_audio
