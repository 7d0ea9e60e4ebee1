from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from core.errors import ConflictError, QuotaExceededError
from stories import selectors, services
from stories.models import Story
from tests.accounts.factories import UserFactory
from tests.stories.factories import RepositoryFactory, StoryFactory

pytestmark = pytest.mark.django_db


def test_transitions_are_conditional():
    story = StoryFactory()
    assert services.story_transition(story_id=story.pk, from_status="pending", to_status="analyzing")
    assert not services.story_transition(story_id=story.pk, from_status="pending", to_status="analyzing")
    assert Story.objects.get(pk=story.pk).status == "analyzing"


def test_fail_only_from_non_terminal_states():
    story = StoryFactory()
    assert services.story_fail(story_id=story.pk, message="boom")
    assert not services.story_fail(story_id=story.pk, message="again")
    assert Story.objects.get(pk=story.pk).error_message == "boom"


def test_retry_only_a_failed_story(django_capture_on_commit_callbacks):
    story = StoryFactory()
    with pytest.raises(ConflictError, match="Only a failed story"):
        services.story_retry(story=story)
    services.story_fail(story_id=story.pk, message="boom")
    with django_capture_on_commit_callbacks() as callbacks:
        retried = services.story_retry(story=story)
    assert (retried.status, retried.error_message) == ("pending", "")
    assert len(callbacks) == 1  # generation enqueued again, after commit


def test_quota_counts_the_calendar_month_in_the_users_timezone():
    user = UserFactory(timezone="Asia/Tokyo", usage_quota=1)
    repository = RepositoryFactory(user=user)
    # 2026-01-31 20:00 UTC is already February 1st in Tokyo.
    Story.objects.create(user=user, repository=repository, title="Jan in UTC, Feb in Tokyo",
                         created_at=datetime(2026, 1, 31, 20, 0, tzinfo=UTC))  # fmt: skip
    in_february = datetime(2026, 2, 10, tzinfo=UTC)
    in_january_tokyo = datetime(2026, 1, 31, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo
    assert selectors.stories_used_this_month(user=user, now=in_february) == 1
    assert selectors.stories_used_this_month(user=user, now=in_january_tokyo) == 0
    start, end = selectors.month_bounds(user=user, now=in_february)
    assert (start.isoformat(), end.isoformat()) == ("2026-02-01T00:00:00+09:00", "2026-03-01T00:00:00+09:00")


def test_december_rolls_over_to_january():
    user = UserFactory(timezone="America/New_York")
    start, end = selectors.month_bounds(user=user, now=datetime(2026, 12, 15, tzinfo=UTC))
    assert (start.month, end.year, end.month) == (12, 2027, 1)


def test_quota_refuses_with_a_clear_message():
    user = UserFactory(usage_quota=1)
    repository = RepositoryFactory(user=user)
    services.story_create(user=user, repository=repository)
    with pytest.raises(QuotaExceededError, match="Monthly story quota reached"):
        services.story_create(user=user, repository=repository)


def test_unlimited_quota():
    user = UserFactory(subscription_tier="enterprise")
    assert user.usage_quota is None
    repository = RepositoryFactory(user=user)
    for _ in range(12):
        services.story_create(user=user, repository=repository)
    assert Story.objects.filter(user=user).count() == 12


def test_stuck_stories_are_failed_with_a_reason():
    stuck, fresh, done = StoryFactory(), StoryFactory(), StoryFactory()
    Story.objects.filter(pk=stuck.pk).update(
        status="generating", status_changed_at=timezone.now() - timedelta(hours=2)
    )
    Story.objects.filter(pk=done.pk).update(
        status="complete", completed_at=timezone.now(), status_changed_at=timezone.now() - timedelta(hours=2)
    )
    assert services.stories_fail_stuck(older_than_seconds=3600) == 1
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert "No progress" in stuck.error_message
    assert Story.objects.get(pk=fresh.pk).status == "pending"
    assert Story.objects.get(pk=done.pk).status == "complete"


def test_raw_delete_of_an_intent_keeps_its_story_and_clears_the_link():
    from django.db import connection

    from tests.stories.factories import IntentFactory

    intent = IntentFactory()
    story = StoryFactory(repository=intent.repository, intent=intent)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM story_intents WHERE id = %s", [intent.pk])
    story.refresh_from_db()
    assert story.intent_id is None
