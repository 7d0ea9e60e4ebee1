"""Property-based fuzzing of every documented operation (schemathesis, generated from our own OpenAPI
document): whatever the input, the API answers without a server error, with a documented status code and
content type. Runs as a signed-in staff user with an all-scopes API key, so writes are reached too."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from accounts import services as account_services
from config.wsgi import application
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory


@pytest.fixture
def api_schema(db):
    # As Django's test client does: keep the test's connection (and transaction) across WSGI calls.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_key(db) -> str:
    user = UserFactory(is_staff=True, is_superuser=True, subscription_tier="enterprise")
    BookFactory.create_batch(3)
    _key, full_key = account_services.api_key_create(
        user=user,
        name="fuzz",
        permissions=[
            "catalog:write",
            "reviews:write",
            "favorites:write",
            "collections:write",
            "stories:write",
        ],
        rate_limit=100_000,
    )
    return full_key


def test_no_input_makes_the_api_fail(api_schema, api_key):
    headers = {"Authorization": f"Api-Key {api_key}"}
    checks = [schemathesis.checks.not_a_server_error, status_code_conformance, content_type_conformance]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def fuzz(case):
            case.call_and_validate(headers=headers, checks=checks)

        fuzz()
