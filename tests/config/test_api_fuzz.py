"""The OpenAPI document is the contract, checked by schemathesis with every check it has: no server
error; documented status codes, content types, headers and response bodies; schema-valid requests
accepted and schema-violating ones rejected; operations that need authentication refusing requests
without it; and methods the document does not list refused. Requests come from the document itself, both
valid and invalid, and run as a signed-in staff user with an all-scopes API key, so writes are reached.

A schema-valid request may still break a rule JSON Schema cannot state (a common password, an ISBN
checksum, a genre that does not exist, a repository on a private network). Those fields are listed in
SEMANTIC_RULES; a 400 naming only them is the API doing its job. Any other failure fails the test."""

import contextlib
import json
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from accounts import services as account_services
from config.wsgi import application
from tests.accounts.factories import UserFactory
from tests.catalog.factories import BookFactory

# Examples per operation and generation mode. The suite draws the same examples every run, so a result
# never depends on luck; FUZZ_EXAMPLES=200 FUZZ_RANDOM=1 explores further by hand.
EXAMPLES_PER_MODE = int(os.environ.get("FUZZ_EXAMPLES", "10"))
DERANDOMIZE = not os.environ.get("FUZZ_RANDOM")
SEMANTIC_RULES: dict[str, set[str]] = {
    "POST /api/v1/auth/login/": {"detail"},  # wrong email or password
    "POST /api/v1/auth/register/": {"password"},  # too common, entirely numeric, like the name
    "POST /api/v1/me/password/": {"current_password", "new_password"},
    "POST /api/v1/me/api-keys/": {
        "rate_limit",
        "permissions",
        "expires_at",
    },  # tier ceiling, staff scope, past
    "POST /api/v1/genres/": {"slug"},  # a name with no letters or digits gives no slug of its own
    "POST /api/v1/books/": {"isbn", "genres"},  # ISBN checksum; genres must exist
    "PATCH /api/v1/books/{id}/": {"isbn", "genres"},
    "GET /api/v1/books/{book_id}/reviews/": {"cursor"},  # cursors come from the server only
    "GET /api/v1/me/reviews/": {"cursor"},
    "POST /api/v1/repositories/": {"repo_url"},  # public hosts only
    "POST /api/v1/stories/": {"intent"},  # the intent must be about the same repository
}


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


def _semantic_rejection(label: str, mode: GenerationMode, response) -> bool:
    if mode is GenerationMode.NEGATIVE and response.status_code == 414:
        return True  # a documented refusal of an over-long URL, which schemathesis does not count as one
    if mode is not GenerationMode.POSITIVE or response.status_code != 400 or label not in SEMANTIC_RULES:
        return False
    try:
        named = set(json.loads(response.content))
    except (ValueError, TypeError):
        return False
    return bool(named) and named <= SEMANTIC_RULES[label]


def _fuzz(operation, mode: GenerationMode, headers: dict, failures: dict) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=DERANDOMIZE,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        response = case.call(headers=headers)
        if _semantic_rejection(operation.label, mode, response):
            return
        try:
            case.validate_response(response, headers=headers)
        except (Exception, BaseExceptionGroup) as failure:  # noqa: B014 - a group is not an Exception
            failures.setdefault((operation.label, mode.value), str(failure)[:1500])

    with contextlib.suppress(Unsatisfiable):  # no invalid input exists for an operation without inputs
        fuzz()


def test_the_api_keeps_its_documented_contract(api_schema, api_key):
    headers = {"Authorization": f"Api-Key {api_key}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50
    failures: dict[tuple[str, str], str] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, headers, failures)
    assert not failures, "\n\n".join(f"{label} ({mode}):\n{text}" for (label, mode), text in failures.items())
