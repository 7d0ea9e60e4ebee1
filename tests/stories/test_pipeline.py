import io
import shutil
from io import StringIO
from pathlib import Path

import pytest
import webvtt
from django.core.management import call_command

from stories import pipeline, services, speech
from stories.analysis import head_commit_id, open_repository
from stories.media import chapter_audio_path
from stories.models import Repository, Story, StoryChapter
from stories.voices import wav_duration
from tests.accounts.factories import UserFactory
from tests.stories.factories import add_commit, make_git_repository
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _seconds(timestamp: str) -> float:
    hours, minutes, seconds = timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _run_worker() -> None:
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO(), stderr=StringIO()
    )


def _story(tmp_path, **intent_fields) -> Story:
    user = UserFactory()
    repository = services.repository_create(
        user=user, repo_url=str(make_git_repository(tmp_path / "repo")), default_branch="master"
    )
    intent = services.intent_create(
        user=user,
        repository=repository,
        intent_category="architecture",
        focus_areas=["shop", "payments"],
        **intent_fields,
    )
    return services.story_create(user=user, repository=repository, intent=intent, narrative_style="tutorial")


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="Debian's espeak-ng package is not installed")
def test_full_pipeline_run_by_a_real_worker_with_real_audio(tmp_path, media):
    story = _story(tmp_path)
    _run_worker()
    story.refresh_from_db()
    assert story.status == "complete", story.error_message
    assert story.completed_at is not None
    chapters = list(StoryChapter.objects.filter(story=story).order_by("chapter_number"))
    assert [c.title for c in chapters] == [
        "Introduction", "The parts, from the way in", "Focus: shop", "Focus: payments", "Where to start",
        "How it grew", "Wrap-up",
    ]  # fmt: skip
    starts = [c.start_time_seconds for c in chapters]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for chapter in chapters:
        assert chapter.audio_url == f"/api/v1/stories/{story.pk}/chapters/{chapter.chapter_number}/audio/"
        path = chapter_audio_path(story.pk, chapter.chapter_number)
        assert path.is_relative_to(media) and path.exists()
        assert abs(wav_duration(path) - chapter.duration_seconds) < 0.01
        assert chapter.duration_seconds > 0.5
    assert abs(story.duration_seconds - sum(c.duration_seconds for c in chapters)) < 0.01
    assert (
        abs(chapters[-1].start_time_seconds + chapters[-1].duration_seconds - story.duration_seconds) < 0.01
    )
    assert "The payments module in shop" in chapters[3].script_segment
    assert story.intent.generated_plan["chapters"][0] == "Introduction"
    with open_repository(story.repository.repo_url, allow_local=True) as repo:
        assert story.commit_sha == head_commit_id(repo, "master").decode()
    assert story.title == "Tiny shop"  # the README's title, not the folder's name

    # The transcript: one cue per spoken sentence, timed from the audio, covering it end to end.
    cues = [
        (_seconds(c.start), _seconds(c.end)) for c in webvtt.from_buffer(io.StringIO(story.transcript_vtt))
    ]
    assert cues[0][0] == 0
    assert abs(cues[-1][1] - story.duration_seconds) < 0.01
    assert all(a[1] == pytest.approx(b[0], abs=0.002) for a, b in zip(cues, cues[1:], strict=False))
    assert len(cues) == sum(1 + len(speech.sentences(c.script_segment)) for c in chapters)
    markers = list(webvtt.from_buffer(io.StringIO(story.chapters_vtt)))
    assert [m.text for m in markers] == [f"{c.chapter_number}. {c.title}" for c in chapters]
    for marker, chapter in zip(markers, chapters, strict=True):
        assert _seconds(marker.start) == pytest.approx(chapter.start_time_seconds, abs=0.002)


def test_without_a_voice_backend_the_story_completes_without_audio(tmp_path, media, settings):
    settings.STORY_VOICE_BACKEND = "stories.voices.NoVoice"
    story = _story(tmp_path)
    _run_worker()
    story.refresh_from_db()
    assert (story.status, story.audio_url) == ("complete", "")
    chapters = StoryChapter.objects.filter(story=story).order_by("chapter_number")
    assert all(c.audio_url == "" and c.duration_seconds > 0 for c in chapters)


def test_a_non_git_folder_fails_the_story_with_a_readable_message(tmp_path, media):
    user = UserFactory()
    (tmp_path / "plain").mkdir()
    repository = services.repository_create(user=user, repo_url=str(tmp_path / "plain"))
    story = services.story_create(user=user, repository=repository)
    _run_worker()
    story.refresh_from_db()
    assert story.status == "failed"
    assert "is not a git repository" in story.error_message
    assert not StoryChapter.objects.filter(story=story).exists()


def test_analysis_is_cached_by_head_and_redone_when_it_moves(tmp_path, media):
    story = _story(tmp_path)
    _run_worker()
    repository = Repository.objects.get(pk=story.repository_id)
    first_analyzed = repository.last_analyzed_at
    services.story_create(user=story.user, repository=repository)
    _run_worker()
    repository.refresh_from_db()
    assert repository.last_analyzed_at == first_analyzed  # same head: cached analysis reused
    add_commit(Path(repository.repo_url), "NEWS.md", "news\n")
    services.story_create(user=story.user, repository=repository)
    _run_worker()
    repository.refresh_from_db()
    assert repository.last_analyzed_at > first_analyzed
    assert repository.analysis_cache["commit_count"] == 4


def test_concurrent_workers_cannot_double_process(tmp_path, media, settings):
    settings.STORY_VOICE_BACKEND = "stories.voices.NoVoice"
    story = _story(tmp_path)
    results = run_concurrently([lambda: pipeline.run(story.pk)] * 6)
    assert sorted(results) == ["complete"] + ["skipped"] * 5
    assert StoryChapter.objects.filter(story=story).count() == 7


def test_failed_story_retried_completes(tmp_path, media, settings):
    settings.STORY_VOICE_BACKEND = "stories.voices.NoVoice"
    user = UserFactory()
    path = tmp_path / "later"
    repository = services.repository_create(user=user, repo_url=str(path), default_branch="master")
    story = services.story_create(user=user, repository=repository)
    _run_worker()
    assert Story.objects.get(pk=story.pk).status == "failed"
    make_git_repository(path)
    services.story_retry(story=story)
    _run_worker()
    assert Story.objects.get(pk=story.pk).status == "complete"
