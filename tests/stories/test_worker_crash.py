"""A real worker process killed in the middle of a story: its lease runs out, another worker's sweeper
fails the story with a reason, ends the dead worker's task row, and the story can be retried."""

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from stories import services
from stories.models import Story
from tests.accounts.factories import UserFactory
from tests.processes import start_manage
from tests.stories.factories import make_git_repository

pytestmark = pytest.mark.django_db(transaction=True)

LEASE_SECONDS = 2


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _worker(tmp_path):
    return start_manage(
        "run_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval=0.1",
        STORY_VOICE_BACKEND="tests.stories.voices.SlowVoice",
        STORY_LEASE_SECONDS=str(LEASE_SECONDS),
        MEDIA_ROOT=str(tmp_path / "media"),
    )


def test_a_story_whose_worker_is_killed_fails_within_a_minute_and_can_be_retried(tmp_path, settings):
    settings.STORY_LEASE_SECONDS = LEASE_SECONDS
    user = UserFactory()
    repository = services.repository_create(
        user=user, repo_url=str(make_git_repository(tmp_path / "repo")), default_branch="master"
    )
    story = services.story_create(user=user, repository=repository)

    first = _worker(tmp_path)
    try:
        _wait_for(
            lambda: Story.objects.filter(pk=story.pk, status="synthesizing").exists(), 60, "synthesizing"
        )
        time.sleep(LEASE_SECONDS)  # long enough for the lease to have been renewed at least once
        renewed = Story.objects.get(pk=story.pk).lease_expires_at
        assert renewed is not None and renewed > timezone.now()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
    finally:
        if first.poll() is None:
            first.kill()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.RUNNING  # the dead worker could not say anything

    second = _worker(tmp_path)
    try:
        _wait_for(lambda: Story.objects.filter(pk=story.pk, status="failed").exists(), 60, "the sweep")
        recovered_after = time.monotonic() - killed_at
    finally:
        second.terminate()
        second.wait(timeout=20)

    story.refresh_from_db()
    assert story.error_message == "The worker stopped while the story was synthesizing; retry the story."
    assert recovered_after < 60
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "stories.pipeline.WorkerLost"

    client = APIClient()
    client.force_authenticate(user)
    response = client.post(f"/api/v1/stories/{story.pk}/retry/")
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "pending"


def test_retry_fails_a_story_whose_lease_ran_out_even_without_a_sweeper(tmp_path):
    user = UserFactory()
    repository = services.repository_create(
        user=user, repo_url=str(make_git_repository(tmp_path / "repo")), default_branch="master"
    )
    story = services.story_create(user=user, repository=repository)
    Story.objects.filter(pk=story.pk).update(
        status="generating", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    client = APIClient()
    client.force_authenticate(user)
    assert client.post(f"/api/v1/stories/{story.pk}/retry/").status_code == 202
