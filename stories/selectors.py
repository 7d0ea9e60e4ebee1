import zoneinfo
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from stories.models import Repository, Story, StoryChapter, StoryCreation, StoryIntent


def month_bounds(*, user: User, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The user's current calendar month, in the user's own timezone."""
    local_now = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(user.timezone))
    start = local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start, start.replace(year=year, month=month)


def stories_used_this_month(*, user: User, now: datetime | None = None) -> int:
    """Stories created this month, deleted ones included: deleting a story gives no quota back."""
    start, end = month_bounds(user=user, now=now)
    return StoryCreation.objects.filter(user=user, created_at__gte=start, created_at__lt=end).count()


def repository_list(*, user) -> QuerySet[Repository]:
    return Repository.objects.filter(user=user).order_by("-created_at", "id")


def intent_list(*, user) -> QuerySet[StoryIntent]:
    return StoryIntent.objects.filter(user=user).order_by("-created_at", "id")


def story_list(*, user) -> QuerySet[Story]:
    return Story.objects.filter(user=user).defer("script_text").order_by("-created_at", "id")


def story_detail_queryset(*, user) -> QuerySet[Story]:
    chapters = StoryChapter.objects.order_by("chapter_number")
    return Story.objects.filter(user=user).prefetch_related(Prefetch("chapters", queryset=chapters))


def story_with_audio(*, user, story_id) -> Story:
    """The user's own story that has audio; anyone else's, or one without audio, is a 404."""
    return get_object_or_404(Story.objects.filter(user=user).exclude(audio_url="").only("id"), pk=story_id)


def story_vtt(*, user, story_id, field: str) -> str:
    """A WebVTT text of the user's own story; anyone else's, or one not made yet, is a 404."""
    text = Story.objects.filter(user=user, pk=story_id).values_list(field, flat=True).first()
    if not text:
        raise Http404
    return text


def chapter_with_audio(*, user, story_id, chapter_number: int) -> StoryChapter:
    return get_object_or_404(
        StoryChapter.objects.filter(story__user=user, story_id=story_id, chapter_number=chapter_number)
        .exclude(audio_url="")
        .only("story_id", "chapter_number")
    )


def story_usage(*, user) -> dict:
    now = timezone.now()  # one instant for both, so a month boundary cannot fall between them
    start, end = month_bounds(user=user, now=now)
    used = stories_used_this_month(user=user, now=now)
    quota = user.usage_quota
    return {
        "period_start": start,
        "period_end": end,
        "timezone": user.timezone,
        "subscription_tier": user.subscription_tier,
        "quota": quota,
        "used": used,
        "left": None if quota is None else max(quota - used, 0),
    }


def story_status_counts() -> dict[str, int]:
    """How many stories are in each status (statuses without any are absent)."""
    return dict(
        Story.objects.values_list("status").annotate(count=Count("pk")).values_list("status", "count")
    )
