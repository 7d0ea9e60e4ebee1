import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import User, UserPreferences
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_uniqueness_is_case_insensitive_in_the_database():
    UserFactory(email="Ada@Example.com")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO users (email, password) VALUES ('ada@example.COM', '!')")


def test_preferences_are_created_with_the_user():
    user = UserFactory()
    preferences = UserPreferences.objects.get(user=user)
    assert preferences.theme == "modern"
    assert preferences.communication_preferences == {"email": True, "sms": False, "in_app": True}


def test_preferences_are_created_for_users_inserted_with_raw_sql():
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO users (email, password) VALUES ('raw@example.com', '!') RETURNING id")
        (user_id,) = cursor.fetchone()
    assert UserPreferences.objects.filter(user_id=user_id, onboarding_completed=False).exists()


def test_raw_sql_delete_of_a_user_cascades_to_preferences():
    user = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [user.id])
    assert not UserPreferences.objects.filter(user_id=user.id).exists()


def test_user_defaults_come_from_the_database_too():
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO users (email, password) VALUES ('defaults@example.com', '!') "
            "RETURNING id, timezone, subscription_tier, usage_quota, is_active"
        )
        user_id, tz, tier, quota, active = cursor.fetchone()
    assert user_id is not None
    assert (tz, tier, quota, active) == ("UTC", "free", 10, True)


def test_subscription_tier_is_checked_by_the_database():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(subscription_tier="platinum")


def test_login_by_email_ignores_case():
    user = UserFactory(email="grace@example.com")
    assert User.objects.get_by_natural_key("GRACE@example.com") == user


@pytest.mark.parametrize("column", ["email", "first_name", "last_name", "external_auth_id"])
def test_the_admin_reader_search_has_a_trigram_index_per_column(column):
    from django.db import connection

    from accounts.models import User

    query = User.objects.filter(**{f"{column}__icontains": "reader42"}).values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows would be read whole (a scan, or every entry of another index): leave the
        # planner only the bitmap scans it uses at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "_search_idx" in plan, plan
