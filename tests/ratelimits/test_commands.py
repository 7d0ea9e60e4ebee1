from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ratelimits.models import RateLimitCounter
from ratelimits.services import rate_limit_hit

pytestmark = pytest.mark.django_db


def test_purge_command_deletes_only_old_windows():
    rate_limit_hit(bucket="current", limit=5, window_seconds=60)
    RateLimitCounter.objects.create(bucket="old", window_start=timezone.now() - timedelta(days=2), hits=4)
    out = StringIO()
    call_command("purge_rate_limits", stdout=out)
    assert "Deleted 1" in out.getvalue()
    assert list(RateLimitCounter.objects.values_list("bucket", flat=True)) == ["current"]
