from datetime import timedelta

import pytest
from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiKey, User
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.helpers import LONG_WINDOW
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db


def _key_client(full_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {full_key}")
    return client


# --- registration, login, logout, me ---------------------------------------------------------------------


def test_register_creates_user_with_preferences(api_client):
    response = api_client.post(
        "/api/v1/auth/register/",
        {"email": "New@Example.com", "password": "a-long-unusual-passphrase", "timezone": "Europe/Paris"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    user = User.objects.get(email__lower="new@example.com")
    assert user.timezone == "Europe/Paris"
    assert user.preferences.theme == "modern"
    assert user.password.startswith("md5$") or user.password.startswith("argon2")


def test_register_duplicate_email_in_other_case_is_409_naming_email(api_client):
    UserFactory(email="taken@example.com")
    response = api_client.post(
        "/api/v1/auth/register/", {"email": "TAKEN@example.com", "password": "a-long-unusual-passphrase"}
    )
    assert response.status_code == 409
    assert response.json() == {"email": ["A user with this email address already exists."]}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"email": "tz@example.com", "password": "a-long-unusual-passphrase", "timezone": "Mars/Olympus"},
            "timezone",
        ),
        ({"email": "weak@example.com", "password": "123"}, "password"),
        ({"email": "not-an-email", "password": "a-long-unusual-passphrase"}, "email"),
        ({"password": "a-long-unusual-passphrase"}, "email"),
    ],
)
def test_register_rejects_bad_input_naming_the_field(api_client, payload, field):
    response = api_client.post("/api/v1/auth/register/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_login_me_logout_flow():
    user = UserFactory(email="flow@example.com")
    client = APIClient()
    assert client.get("/api/v1/me/").status_code == 401
    response = client.post("/api/v1/auth/login/", {"email": "FLOW@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["id"] == str(user.id)
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_login_enforces_csrf():
    UserFactory(email="csrf@example.com")
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/v1/auth/login/", {"email": "csrf@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    token = client.get("/api/v1/auth/csrf/").json()["csrf_token"]
    response = client.post(
        "/api/v1/auth/login/",
        {"email": "csrf@example.com", "password": DEFAULT_PASSWORD},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_login_upgrades_an_old_password_hash(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    user = UserFactory(email="old@example.com")  # created with the test MD5 hasher before the switch
    User.objects.filter(pk=user.pk).update(
        password="md5$salt$" + __import__("hashlib").md5(b"salt" + DEFAULT_PASSWORD.encode()).hexdigest()
    )
    response = APIClient().post(
        "/api/v1/auth/login/", {"email": "old@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_repeated_failed_logins_lock_the_account_but_not_others(settings, rate_limit_store):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_COOLOFF_SECONDS = LONG_WINDOW
    UserFactory(email="victim@example.com")
    UserFactory(email="bystander@example.com")
    attacker = APIClient(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        response = attacker.post("/api/v1/auth/login/", {"email": "victim@example.com", "password": "wrong"})
        assert response.status_code == 400
    locked = APIClient(REMOTE_ADDR="10.0.0.2").post(
        "/api/v1/auth/login/", {"email": "victim@example.com", "password": DEFAULT_PASSWORD}
    )
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= settings.LOGIN_COOLOFF_SECONDS
    other = APIClient(REMOTE_ADDR="10.0.0.2").post(
        "/api/v1/auth/login/", {"email": "bystander@example.com", "password": DEFAULT_PASSWORD}
    )
    assert other.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_16_parallel_wrong_guesses_evaluate_at_most_the_limit(settings, rate_limit_store):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_COOLOFF_SECONDS = LONG_WINDOW
    UserFactory(email="victim@example.com")
    evaluated = []

    def count(sender, credentials, request, **kwargs):
        evaluated.append(credentials["username"])

    def guess(index: int):
        client = APIClient(REMOTE_ADDR=f"10.0.1.{index}")
        return client.post(
            "/api/v1/auth/login/", {"email": "victim@example.com", "password": f"guess-{index}"}
        )

    user_login_failed.connect(count)
    try:
        responses = run_concurrently([lambda index=index: guess(index) for index in range(16)])
    finally:
        user_login_failed.disconnect(count)
    assert len(evaluated) == 5
    assert sorted(response.status_code for response in responses) == [400] * 5 + [429] * 11
    assert all(int(r["Retry-After"]) > 0 for r in responses if r.status_code == 429)


def test_successful_sign_ins_never_use_up_the_attempts(settings, rate_limit_store):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_COOLOFF_SECONDS = LONG_WINDOW
    UserFactory(email="often@example.com")
    for _ in range(6):
        response = APIClient().post(
            "/api/v1/auth/login/", {"email": "often@example.com", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 200


def test_me_patch_changes_names_and_timezone(user_client, user):
    response = user_client.patch(
        "/api/v1/me/", {"first_name": "Ada", "timezone": "Asia/Tokyo"}, format="json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.timezone) == ("Ada", "Asia/Tokyo")


@pytest.mark.parametrize(
    "payload",
    [
        {"is_staff": True},
        {"subscription_tier": "enterprise"},
        {"usage_quota": 100000},
        {"external_auth_id": "evil"},
        {"email": "other@example.com"},
    ],
)
def test_me_patch_refuses_mass_assignment(user_client, user, payload):
    response = user_client.patch("/api/v1/me/", payload, format="json")
    assert response.status_code == 400
    assert set(payload) <= set(response.json())
    user.refresh_from_db()
    assert not user.is_staff
    assert user.subscription_tier == "free"
    assert user.external_auth_id is None


@pytest.mark.parametrize("name", ["Nowhere/Land", "localtime", "Factory", "../../etc/passwd", "utc"])
def test_me_patch_invalid_timezone_is_400(user_client, name):
    response = user_client.patch("/api/v1/me/", {"timezone": name}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()


def test_password_change_requires_the_current_password(user_client, user):
    bad = user_client.post(
        "/api/v1/me/password/", {"current_password": "nope", "new_password": "another-long-pass-9"}
    )
    assert bad.status_code == 400
    assert "current_password" in bad.json()
    good = user_client.post(
        "/api/v1/me/password/", {"current_password": DEFAULT_PASSWORD, "new_password": "another-long-pass-9"}
    )
    assert good.status_code == 204
    user.refresh_from_db()
    assert user.check_password("another-long-pass-9")


# --- preferences -------------------------------------------------------------------------------------------


def test_preferences_get_and_patch(user_client):
    assert user_client.get("/api/v1/me/preferences/").json()["theme"] == "modern"
    response = user_client.patch(
        "/api/v1/me/preferences/",
        {
            "theme": "dark",
            "custom_hours": {"start": "09:00", "end": "17:30", "timezone": "Europe/Berlin"},
            "communication_preferences": {"email": False, "sms": True, "in_app": True},
            "extra": {"font_size": 14},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["custom_hours"]["end"] == "17:30"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"custom_hours": {"start": "25:00", "end": "17:00"}}, "custom_hours"),
        ({"custom_hours": {"start": "09:00", "end": "17:00", "timezone": "Bad/Zone"}}, "custom_hours"),
        ({"custom_hours": "9 to 5"}, "custom_hours"),
        ({"communication_preferences": {"email": "yes"}}, "communication_preferences"),
        ({"communication_preferences": {"pigeon": True}}, "communication_preferences"),
        ({"communication_preferences": [True]}, "communication_preferences"),
        ({"extra": [1, 2]}, "extra"),
        ({"unknown_pref": 1}, "unknown_pref"),
    ],
)
def test_preferences_reject_bad_shapes_naming_the_field(user_client, payload, field):
    response = user_client.patch("/api/v1/me/preferences/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


# --- API keys ---------------------------------------------------------------------------------------


def test_api_key_is_returned_once_and_only_its_hash_is_stored(user_client, user):
    response = user_client.post(
        "/api/v1/me/api-keys/", {"name": "ci", "permissions": ["reviews:write"]}, format="json"
    )
    assert response.status_code == 201
    full_key = response.json()["key"]
    assert full_key.startswith("folio_")
    secret = full_key.split("_", 2)[2]
    listed = user_client.get("/api/v1/me/api-keys/").json()["results"]
    assert "key" not in listed[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(k)::text FROM api_keys k")
        (row,) = cursor.fetchone()
    assert secret not in row
    assert full_key not in row


def test_api_key_authenticates_as_its_user(user):
    _key, full_key = services.api_key_create(user=user, name="k", permissions=[])
    response = _key_client(full_key).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == user.email


def test_api_key_unknown_scope_is_400(user_client):
    response = user_client.post("/api/v1/me/api-keys/", {"name": "k", "permissions": ["root"]}, format="json")
    assert response.status_code == 400
    assert "permissions" in response.json()


def test_users_cannot_see_or_revoke_each_others_keys(user_client):
    other_key, _ = services.api_key_create(user=UserFactory(), name="theirs", permissions=[])
    assert user_client.get(f"/api/v1/me/api-keys/{other_key.pk}/").status_code == 404
    assert user_client.delete(f"/api/v1/me/api-keys/{other_key.pk}/").status_code == 404
    assert user_client.get("/api/v1/me/api-keys/").json()["results"] == []
    other_key.refresh_from_db()
    assert other_key.is_active


def test_malformed_key_id_is_404(user_client):
    assert user_client.get("/api/v1/me/api-keys/not-a-number/").status_code == 404


def test_revoked_key_is_rejected(user_client, user):
    api_key, full_key = services.api_key_create(user=user, name="k", permissions=[])
    assert user_client.delete(f"/api/v1/me/api-keys/{api_key.pk}/").status_code == 204
    assert _key_client(full_key).get("/api/v1/me/").status_code == 401


def test_expired_key_is_rejected(user):
    api_key, full_key = services.api_key_create(
        user=user, name="k", permissions=[], expires_at=timezone.now() + timedelta(hours=1)
    )
    assert _key_client(full_key).get("/api/v1/me/").status_code == 200
    ApiKey.objects.filter(pk=api_key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _key_client(full_key).get("/api/v1/me/").status_code == 401


def test_key_cannot_be_created_already_expired(user_client):
    response = user_client.post(
        "/api/v1/me/api-keys/",
        {"name": "k", "permissions": [], "expires_at": "1999-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"expires_at": ["The expiry must be in the future."]}
    assert not ApiKey.objects.exists()


def test_key_of_inactive_user_is_rejected(user):
    _key, full_key = services.api_key_create(user=user, name="k", permissions=[])
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert _key_client(full_key).get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key",
        "Api-Key a b",
        "Api-Key folio_",
        "Api-Key folio_abc",
        "Api-Key notfolio_abc_def",
        "Api-Key folio_x_y",
    ],
)
def test_malformed_api_key_header_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_missing_authorization_is_401_with_challenge():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_key_in_query_string_is_ignored(user):
    _key, full_key = services.api_key_create(user=user, name="k", permissions=[])
    assert APIClient().get(f"/api/v1/me/?api_key={full_key}").status_code == 401


def test_keys_cannot_manage_keys_or_accounts(user):
    _key, full_key = services.api_key_create(user=user, name="k", permissions=["reviews:write"])
    response = _key_client(full_key).post("/api/v1/me/api-keys/", {"name": "escalate"}, format="json")
    assert response.status_code == 403


def test_last_used_at_is_written_at_most_once_a_minute(user):
    api_key, full_key = services.api_key_create(user=user, name="k", permissions=[])
    client = _key_client(full_key)
    client.get("/api/v1/me/")
    api_key.refresh_from_db()
    first_use = api_key.last_used_at
    assert first_use is not None
    client.get("/api/v1/me/")
    api_key.refresh_from_db()
    assert api_key.last_used_at == first_use


def test_rate_limited_response_carries_retry_after(user, settings):
    _key, full_key = services.api_key_create(user=user, name="k", permissions=[], rate_limit=2)
    settings.API_RATE_WINDOW_SECONDS = LONG_WINDOW
    client = _key_client(full_key)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    response = client.get("/api/v1/me/")
    assert 1 <= int(response["Retry-After"]) <= LONG_WINDOW


def test_forged_forwarded_for_does_not_reset_the_anonymous_limit(settings, rate_limit_store):
    from rest_framework.settings import api_settings

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/day"},  # a day's window: no boundary in practice
    }
    api_settings.reload()
    try:
        statuses = [
            APIClient().get("/api/v1/auth/csrf/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
            for i in range(3)
        ]
    finally:
        api_settings.reload()
    assert statuses[-1] == 429


@pytest.mark.django_db(transaction=True)
def test_key_rate_limit_is_exact_under_concurrent_requests(rate_limit_store, settings):
    user = UserFactory()
    _key, full_key = services.api_key_create(user=user, name="k", permissions=[], rate_limit=5)
    settings.API_RATE_WINDOW_SECONDS = LONG_WINDOW
    statuses = run_concurrently([lambda: _key_client(full_key).get("/api/v1/me/").status_code] * 12)
    assert sorted(statuses) == [200] * 5 + [429] * 7
    assert ApiKey.objects.get().rate_limit == 5


# --- key limits per tier ---------------------------------------------------------------------------------


def test_a_key_rate_limit_above_the_tier_ceiling_is_400(user_client, user):
    response = user_client.post(
        "/api/v1/me/api-keys/", {"name": "greedy", "rate_limit": 100_000}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"rate_limit": ["At most 1,000 requests an hour per key on the free plan."]}
    assert (
        user_client.post(
            "/api/v1/me/api-keys/", {"name": "fair", "rate_limit": 1_000}, format="json"
        ).status_code
        == 201
    )
    services.user_set_tier(user=user, tier="pro")
    assert (
        user_client.post(
            "/api/v1/me/api-keys/", {"name": "pro", "rate_limit": 10_000}, format="json"
        ).status_code
        == 201
    )


def test_active_keys_are_capped_per_tier_and_revoking_frees_a_slot(user_client, user):
    keys = [user_client.post("/api/v1/me/api-keys/", {"name": f"k{i}"}, format="json") for i in range(6)]
    assert [key.status_code for key in keys] == [201] * 5 + [409]
    assert keys[-1].json() == {"detail": "The free plan allows 5 active keys; revoke one first."}
    assert user_client.delete(f"/api/v1/me/api-keys/{keys[0].json()['id']}/").status_code == 204
    assert user_client.post("/api/v1/me/api-keys/", {"name": "again"}, format="json").status_code == 201
    ApiKey.objects.filter(user=user, name="again").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert (
        user_client.post("/api/v1/me/api-keys/", {"name": "after expiry"}, format="json").status_code == 201
    )


@pytest.mark.django_db(transaction=True)
def test_16_concurrent_key_creations_stop_at_the_tier_cap():
    user = UserFactory()

    def create():
        client = APIClient()
        client.force_authenticate(user)
        return client.post("/api/v1/me/api-keys/", {"name": "racer"}, format="json").status_code

    statuses = run_concurrently([create] * 16)
    assert sorted(statuses) == [201] * 5 + [409] * 11
    assert ApiKey.objects.filter(user=user).count() == 5


def test_all_keys_and_the_session_share_one_hourly_ceiling(user, monkeypatch, rate_limit_store, settings):
    from accounts.models import TIER_API_LIMITS, TierApiLimits

    monkeypatch.setitem(
        TIER_API_LIMITS, "free", TierApiLimits(key_rate_limit_max=1_000, active_keys_max=5, hourly_requests=4)
    )
    settings.API_RATE_WINDOW_SECONDS = LONG_WINDOW
    _k, first = services.api_key_create(user=user, name="a", permissions=[], rate_limit=100)
    _k, second = services.api_key_create(user=user, name="b", permissions=[], rate_limit=100)
    session = APIClient()
    session.force_authenticate(user)
    statuses = [
        _key_client(first).get("/api/v1/me/").status_code,
        _key_client(second).get("/api/v1/me/").status_code,
        session.get("/api/v1/me/").status_code,
        _key_client(first).get("/api/v1/me/").status_code,
        _key_client(second).get("/api/v1/me/").status_code,
        session.get("/api/v1/me/").status_code,
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_a_key_from_a_higher_tier_is_held_to_the_current_tier_ceiling(
    user, monkeypatch, rate_limit_store, settings
):
    from accounts.models import TIER_API_LIMITS, TierApiLimits

    services.user_set_tier(user=user, tier="pro")
    _k, full_key = services.api_key_create(user=user, name="big", permissions=[], rate_limit=5_000)
    services.user_set_tier(user=user, tier="free")
    monkeypatch.setitem(
        TIER_API_LIMITS, "free", TierApiLimits(key_rate_limit_max=2, active_keys_max=5, hourly_requests=5_000)
    )
    settings.API_RATE_WINDOW_SECONDS = LONG_WINDOW
    assert [_key_client(full_key).get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
