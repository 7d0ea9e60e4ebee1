"""Fetching remote repositories against real HTTP servers on loopback.

Production settings allow no private network, so a server on 127.0.0.1 must never see a request. Tests
that need a reachable server serve on 127.0.0.2 and allow only that address
(``STORY_FETCH_ALLOWED_NETWORKS``), standing in for a public host.
"""

import ipaddress
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command

from stories import pipeline, services
from stories.fetching import (
    AddressRefused,
    FetchError,
    FetchLimits,
    address_is_allowed,
    fetch,
    literal_address,
    public_pool_manager,
)
from stories.models import Repository, Story
from tests.accounts.factories import UserFactory
from tests.stories import servers
from tests.stories.factories import make_git_repository

ALLOWED = (f"{servers.ALLOWED_HOST}/32",)


def _limits(**overrides) -> FetchLimits:
    values = {
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "deadline": 20.0,
        "max_bytes": 50 * 1024 * 1024,
        "allowed_networks": ALLOWED,
    }
    return FetchLimits(**{**values, **overrides})


@pytest.fixture(scope="module")
def git_repository(tmp_path_factory):
    return make_git_repository(tmp_path_factory.mktemp("served") / "shop")


def test_a_public_git_server_is_cloned(git_repository, tmp_path):
    with servers.git_http_server(git_repository) as server:
        fetch(server.url, tmp_path / "clone.git", _limits())
    assert (tmp_path / "clone.git" / "objects").is_dir()
    assert server.requests[0] == "/repo.git/info/refs"


def test_loopback_is_refused_before_any_request(git_repository, tmp_path):
    with (
        servers.git_http_server(git_repository, host="127.0.0.1") as server,
        pytest.raises(FetchError, match="not a public address"),
    ):
        fetch(server.url, tmp_path / "clone.git", _limits())
    assert server.requests == []


def test_a_redirect_to_an_internal_address_is_refused(git_repository, tmp_path):
    with (
        servers.git_http_server(git_repository, host="127.0.0.1") as internal,
        servers.http_server(
            servers.redirect_to(internal.url + "/info/refs?service=git-upload-pack")
        ) as public,
        pytest.raises(FetchError, match="not a public address"),
    ):
        fetch(public.url + "/repo.git", tmp_path / "clone.git", _limits())
    assert public.requests  # the first hop was allowed and asked
    assert internal.requests == []  # the redirect never reached the internal server


def test_what_a_non_git_service_says_never_reaches_the_message(tmp_path):
    with (
        servers.http_server(servers.leaking_secret("s3cr3t-token")) as server,
        pytest.raises(FetchError) as failure,
    ):
        fetch(server.url + "/repo.git", tmp_path / "clone.git", _limits())
    assert str(failure.value) == (
        "The repository could not be fetched; check that the URL is a public git repository."
    )


def test_a_server_that_never_answers_times_out_on_read(tmp_path):
    started = time.monotonic()
    with servers.silent_server() as server, pytest.raises(FetchError, match="did not answer in time"):
        fetch(server.url, tmp_path / "clone.git", _limits(read_timeout=0.5))
    assert time.monotonic() - started < 15


def test_a_server_that_trickles_forever_is_killed_at_the_deadline(tmp_path):
    stop = threading.Event()
    started = time.monotonic()
    with servers.http_server(servers.trickling(stop)) as server:
        try:
            with pytest.raises(FetchError, match="took longer than 1.5 seconds"):
                fetch(server.url + "/repo.git", tmp_path / "clone.git", _limits(deadline=1.5))
        finally:
            stop.set()
    assert time.monotonic() - started < 15


def test_a_repository_over_the_size_cap_is_refused(git_repository, tmp_path):
    with (
        servers.git_http_server(git_repository) as server,
        pytest.raises(FetchError, match="larger than the limit of 512 bytes"),
    ):
        fetch(server.url, tmp_path / "clone.git", _limits(max_bytes=512))


def test_every_connection_resolves_the_name_and_checks_the_addresses(git_repository):
    """Below the URL check (which refuses "localhost" by name): the connection itself resolves the name
    and refuses a loopback answer, so a public-looking name that resolves inward gets nowhere."""
    manager = public_pool_manager(connect_timeout=2, read_timeout=2, allowed_networks=[])
    with servers.git_http_server(git_repository, host="127.0.0.1") as server:
        port = server.url.split(":")[2].split("/")[0]
        with pytest.raises(AddressRefused):
            manager.request("GET", f"http://localhost:{port}/repo.git/info/refs")
    assert server.requests == []


@pytest.mark.parametrize(
    ("host", "address"),
    [("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"), ("10.1", "10.0.0.1"),
     ("::ffff:127.0.0.1", "::ffff:127.0.0.1"), ("example.com", None)],
)  # fmt: skip
def test_numeric_host_forms_are_read_as_the_address_they_mean(host, address):
    assert literal_address(host) == (ipaddress.ip_address(address) if address else None)


@pytest.mark.parametrize(
    ("address", "allowed"),
    [("8.8.8.8", True), ("2606:4700::1111", True), ("127.0.0.1", False), ("10.0.0.1", False),
     ("100.64.0.1", False), ("169.254.169.254", False), ("224.0.0.1", False), ("0.0.0.0", False),
     ("::ffff:8.8.8.8", True), ("::ffff:10.0.0.1", False), ("64:ff9b::808:808", True),
     ("64:ff9b::a00:1", False), ("2002:0a00:0001::", False), ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),
     ("fd00::1", False), ("fe80::1", False), ("::1", False)],
)  # fmt: skip
def test_only_public_unicast_addresses_are_allowed(address, allowed):
    assert address_is_allowed(ipaddress.ip_address(address)) is allowed


# --- the whole path, as a user drives it ------------------------------------------------------------------


def _run_worker() -> None:
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO(), stderr=StringIO()
    )


@pytest.fixture
def production_like(settings, tmp_path):
    settings.STORY_ALLOW_LOCAL_REPOSITORIES = False
    settings.STORY_FETCH_ALLOWED_NETWORKS = []
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORY_VOICE_BACKEND = "stories.voices.NoVoice"
    return settings


@pytest.mark.django_db(transaction=True)
def test_a_story_of_a_public_repository_completes(git_repository, production_like):
    production_like.STORY_FETCH_ALLOWED_NETWORKS = list(ALLOWED)
    user = UserFactory()
    with servers.git_http_server(git_repository) as server:
        repository = services.repository_create(user=user, repo_url=server.url, default_branch="master")
        story = services.story_create(user=user, repository=repository)
        _run_worker()
    story.refresh_from_db()
    assert story.status == "complete", story.error_message
    assert Repository.objects.get(pk=repository.pk).analysis_cache["file_count"] == 6


@pytest.mark.django_db(transaction=True)
def test_repositories_saved_before_are_not_read_under_production_settings(git_repository, production_like):
    """Rows that got in under other settings (a local path, a loopback URL) fail without being read."""
    user = UserFactory()
    with servers.git_http_server(git_repository, host="127.0.0.1") as internal:
        for url in (str(git_repository), f"file://{git_repository}", internal.url):
            repository = Repository.objects.create(user=user, repo_url=url, repo_name="shop")
            story = Story.objects.create(user=user, repository=repository, title="probe")
            assert pipeline.run(story.pk) == "failed"
    assert internal.requests == []
    stories = Story.objects.filter(user=user)
    assert {story.status for story in stories} == {"failed"}
    assert not any(str(git_repository) in story.error_message for story in stories)
    assert not Repository.objects.filter(user=user).exclude(analysis_cache={}).exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_fetch_stores_a_generic_message(production_like):
    production_like.STORY_FETCH_ALLOWED_NETWORKS = list(ALLOWED)
    user = UserFactory()
    with servers.http_server(servers.leaking_secret("internal-admin-password")) as server:
        repository = services.repository_create(user=user, repo_url=server.url + "/x.git")
        story = services.story_create(user=user, repository=repository)
        _run_worker()
    story.refresh_from_db()
    assert story.status == "failed"
    assert "internal-admin-password" not in story.error_message
    assert str(server.url.rsplit(":", 1)[1]) not in story.error_message  # nor which port answered
