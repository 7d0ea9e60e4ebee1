from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import RateLimitCounter
from accounts.services import rate_limit_hit

pytestmark = pytest.mark.django_db


def test_rate_limit_counts_exactly_within_a_window():
    results = [rate_limit_hit(bucket="t", limit=2, window_seconds=3600) for _ in range(3)]
    assert [r.hits for r in results] == [1, 2, 3]
    assert [r.allowed for r in results] == [True, True, False]
    assert 1 <= results[-1].retry_after <= 3600


def test_purge_command_deletes_only_old_windows():
    rate_limit_hit(bucket="current", limit=5, window_seconds=60)
    RateLimitCounter.objects.create(bucket="old", window_start=timezone.now() - timedelta(days=2), hits=4)
    out = StringIO()
    call_command("purge_rate_limits", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert list(RateLimitCounter.objects.values_list("bucket", flat=True)) == ["current"]
