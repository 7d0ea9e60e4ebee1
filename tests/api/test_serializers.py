from datetime import UTC, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st
from rest_framework import serializers

from api.serializers import iso_datetimes

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))])


@given(value=st.datetimes(timezones=ZONES))
def test_iso_datetimes_writes_what_drf_writes(value):
    assert iso_datetimes()(value) == serializers.DateTimeField().to_representation(value)
