from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import TIER_API_LIMITS, TIER_QUOTAS, ApiKey, SubscriptionTier, User
from core.errors import ConflictError
from tests.accounts.factories import UserFactory
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db


def test_staff_update_of_the_tier_brings_its_quota_unless_a_quota_is_given():
    reader = UserFactory()
    services.user_staff_update(user=reader, subscription_tier=SubscriptionTier.PRO)
    reader.refresh_from_db()
    assert (reader.subscription_tier, reader.usage_quota) == ("pro", TIER_QUOTAS["pro"])
    services.user_staff_update(user=reader, subscription_tier=SubscriptionTier.FREE, usage_quota=42)
    reader.refresh_from_db()
    assert (reader.subscription_tier, reader.usage_quota) == ("free", 42)


def test_staff_update_of_the_email_refuses_another_accounts_in_any_case_and_keeps_ones_own():
    UserFactory(email="taken@example.com")
    reader = UserFactory(email="reader@example.com")
    with pytest.raises(ConflictError) as refused:
        services.user_staff_update(user=reader, email="TAKEN@example.com")
    assert refused.value.args[0] == {"email": ["A user with this email address already exists."]}
    services.user_staff_update(user=reader, email="Reader@EXAMPLE.com")
    assert User.objects.get(pk=reader.pk).email == "Reader@example.com"


def test_staff_update_touches_only_the_columns_given():
    reader = UserFactory(first_name="Ann")
    User.objects.filter(pk=reader.pk).update(last_name="Changed meanwhile")
    services.user_staff_update(user=reader, first_name="Anna")
    reader.refresh_from_db()
    assert (reader.first_name, reader.last_name) == ("Anna", "Changed meanwhile")


def _key(user: User, **fields) -> ApiKey:
    key, _secret = services.api_key_create(user=user, name="key", permissions=[], **fields)
    return key


def test_key_update_is_held_to_the_owners_plan_and_role():
    key = _key(UserFactory())
    cap = TIER_API_LIMITS["free"].key_rate_limit_max
    with pytest.raises(ValidationError) as too_fast:
        services.api_key_update(api_key=key, rate_limit=cap + 1)
    assert "rate_limit" in too_fast.value.message_dict
    with pytest.raises(ValidationError) as not_staff:
        services.api_key_update(api_key=key, permissions=["catalog:write"])
    assert "permissions" in not_staff.value.message_dict
    with pytest.raises(ValidationError) as past:
        services.api_key_update(api_key=key, expires_at=timezone.now() - timedelta(minutes=1))
    assert "expires_at" in past.value.message_dict
    services.api_key_update(api_key=key, rate_limit=cap, permissions=["reviews:write", "reviews:write"])
    key.refresh_from_db()
    assert (key.rate_limit, key.permissions) == (cap, ["reviews:write"])


def test_a_key_made_under_a_larger_plan_can_still_be_renamed():
    owner = UserFactory(subscription_tier=SubscriptionTier.PRO)
    key = _key(owner, rate_limit=TIER_API_LIMITS["pro"].key_rate_limit_max)
    services.user_set_tier(user=owner, tier=SubscriptionTier.FREE)
    services.api_key_update(api_key=key, name="renamed", rate_limit=key.rate_limit)
    assert ApiKey.objects.get(pk=key.pk).name == "renamed"


def test_switching_a_key_back_on_counts_against_the_active_keys():
    owner = UserFactory()
    revoked = services.api_key_revoke(api_key=_key(owner))
    for _ in range(TIER_API_LIMITS["free"].active_keys_max):
        _key(owner)
    with pytest.raises(ConflictError):
        services.api_key_update(api_key=revoked, is_active=True)
    assert not ApiKey.objects.get(pk=revoked.pk).is_active


@pytest.mark.django_db(transaction=True)
def test_concurrent_reactivations_never_pass_the_active_keys_cap():
    owner = UserFactory()
    room = 2
    for _ in range(TIER_API_LIMITS["free"].active_keys_max - room):
        _key(owner)
    revoked = [services.api_key_revoke(api_key=_key(owner)) for _ in range(6)]

    def reactivate(key: ApiKey):
        return lambda: services.api_key_update(api_key=ApiKey.objects.get(pk=key.pk), is_active=True)

    results = run_concurrently([reactivate(key) for key in revoked])
    assert sum(isinstance(result, ApiKey) for result in results) == room
    assert all(isinstance(result, ApiKey | ConflictError) for result in results)
    assert (
        ApiKey.objects.filter(user=owner, is_active=True).count() == TIER_API_LIMITS["free"].active_keys_max
    )
