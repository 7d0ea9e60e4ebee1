import pytest
from rest_framework.test import APIClient

from stories import selectors, services
from stories.models import Story
from tests.accounts.factories import UserFactory
from tests.clients import key_client
from tests.stories.factories import IntentFactory, RepositoryFactory, StoryFactory
from tests.threads import run_concurrently

pytestmark = pytest.mark.django_db


def test_repository_create_parses_owner_and_name(user_client):
    response = user_client.post(
        "/api/v1/repositories/", {"repo_url": "https://github.com/django/django.git"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["repo_owner"], response.json()["repo_name"]) == ("django", "django")


def repo_url_errors(client, url: str) -> list[str]:
    """Posts a repository and returns the messages on `repo_url`: the only key of the 400."""
    response = client.post("/api/v1/repositories/", {"repo_url": url}, format="json")
    assert response.status_code == 400, response.json()
    assert list(response.json()) == ["repo_url"]
    return response.json()["repo_url"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.com/repo.git",
        "https:///no-host.git",
        "just words",
        "c:repo",
        "https://[::1/repo.git",
        "http://[zz]/repo.git",
        "https://example.com:99999/repo.git",
    ],
)
def test_repository_url_that_git_cannot_fetch_is_400(user_client, url):
    assert repo_url_errors(user_client, url)


@pytest.mark.parametrize(
    "url",
    [
        "git@github.com:encode/django-rest-framework.git",
        "ssh://git@example.com/team/tool.git",
        "git://example.com/team/tool.git",
        "file:///etc",
    ],
)
def test_only_http_and_https_repository_urls_are_accepted(user_client, settings, url):
    settings.STORY_ALLOW_LOCAL_REPOSITORIES = False
    assert repo_url_errors(user_client, url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/x.git",
        "http://localhost/x.git",
        "http://api.localhost/x.git",
        "http://LOCALHOST./x.git",
        "http://0.0.0.0/x.git",
        "http://2130706433/x.git",  # 127.0.0.1 as one number
        "http://0x7f.1/x.git",
        "http://0177.0.0.1/x.git",
        "http://127.1/x.git",
        "http://[::1]/x.git",
        "http://[::ffff:127.0.0.1]/x.git",
        "http://[::ffff:a00:1]/x.git",  # 10.0.0.1, IPv4-mapped
        "http://[64:ff9b::a9fe:a9fe]/x.git",  # 169.254.169.254 through NAT64
        "http://[2002:7f00:1::]/x.git",  # 6to4 of 127.0.0.1
        "http://[fe80::1%25eth0]/x.git",
        "http://10.1.2.3/x.git",
        "http://172.16.0.1/x.git",
        "http://192.168.1.1/x.git",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/x.git",  # carrier-grade NAT
        "http://224.0.0.1/x.git",
        "http://240.0.0.1/x.git",
        "http://255.255.255.255/x.git",
        "http://[fc00::1]/x.git",
        "http://[ff02::1]/x.git",
    ],
)
def test_repository_urls_aimed_inward_are_400(user_client, url):
    assert "public" in repo_url_errors(user_client, url)[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://user:secret@github.com/django/django.git",
        "https://token@github.com/django/django.git",
        "https://:secret@github.com/django/django.git",
    ],
)
def test_credentials_in_repository_urls_are_400_and_never_echoed(user_client, url):
    errors = repo_url_errors(user_client, url)
    assert "user name and password" in errors[0]
    assert "secret" not in str(errors) and "token" not in str(errors)


@pytest.mark.parametrize("url", ["/etc", "/definitely/not/here", "file:///etc", "file:///nowhere"])
def test_local_repositories_disallowed_say_the_same_whether_the_path_exists(user_client, settings, url):
    settings.STORY_ALLOW_LOCAL_REPOSITORIES = False
    assert repo_url_errors(user_client, url) == [
        "Local paths are not allowed here; use a public https:// URL."
    ]


@pytest.mark.parametrize(
    ("endpoint", "payload", "field"),
    [
        ("intents", {"intent_category": "gossip"}, "intent_category"),
        ("intents", {"intent_category": "feature", "expertise_level": "guru"}, "expertise_level"),
        ("intents", {"intent_category": "feature", "focus_areas": "auth"}, "focus_areas"),
        ("intents", {"intent_category": "feature", "focus_areas": ["auth", 5]}, "focus_areas"),
        ("intents", {"intent_category": "feature", "focus_areas": [["nested"]]}, "focus_areas"),
        (
            "intents",
            {"intent_category": "feature", "conversation_history": [{"role": "x", "content": "hi"}]},
            "conversation_history",
        ),
        ("stories", {"narrative_style": "opera"}, "narrative_style"),
        ("stories", {"voice_id": "en us; rm -rf"}, "voice_id"),
    ],
)
def test_bad_intent_and_story_input_is_400(user, user_client, endpoint, payload, field):
    repository = RepositoryFactory(user=user)
    response = user_client.post(
        f"/api/v1/{endpoint}/", {"repository": str(repository.pk), **payload}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_story_create_is_202_pending_and_enqueued(user, django_capture_on_commit_callbacks):
    repository = RepositoryFactory(user=user)
    intent = IntentFactory(repository=repository)
    client = APIClient()
    client.force_authenticate(user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/api/v1/stories/",
            {"repository": str(repository.pk), "intent": str(intent.pk), "narrative_style": "podcast"},
            format="json",
        )
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "pending"
    assert response.json()["audio_available"] is False
    assert len(callbacks) == 1
    again = client.post(
        "/api/v1/stories/", {"repository": str(repository.pk), "intent": str(intent.pk)}, format="json"
    )
    assert again.status_code == 409


def test_owner_only_everything_else_404(user_client):
    story = StoryFactory()
    for url in (f"/api/v1/stories/{story.pk}/", f"/api/v1/repositories/{story.repository_id}/"):
        assert user_client.get(url).status_code == 404
        assert user_client.delete(url).status_code == 404
    assert user_client.post(f"/api/v1/stories/{story.pk}/retry/").status_code == 404
    response = user_client.post("/api/v1/stories/", {"repository": str(story.repository_id)}, format="json")
    assert response.status_code == 404
    assert user_client.get("/api/v1/stories/").json()["results"] == []


def test_retry_of_a_story_that_is_not_failed_is_409(user):
    story = StoryFactory(repository=RepositoryFactory(user=user))
    client = APIClient()
    client.force_authenticate(user)
    assert client.post(f"/api/v1/stories/{story.pk}/retry/").status_code == 409
    services.story_fail(story_id=story.pk, message="boom")
    assert client.post(f"/api/v1/stories/{story.pk}/retry/").status_code == 202


def test_usage_shows_used_and_left(user):
    user.usage_quota = 3
    user.save()
    services.story_create(user=user, repository=RepositoryFactory(user=user))
    client = APIClient()
    client.force_authenticate(user)
    body = client.get("/api/v1/me/usage/").json()
    assert (body["quota"], body["used"], body["left"]) == (3, 1, 2)


def test_quota_exceeded_is_429_with_retry_after(user):
    user.usage_quota = 0
    user.save()
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        "/api/v1/stories/", {"repository": str(RepositoryFactory(user=user).pk)}, format="json"
    )
    assert response.status_code == 429
    assert "quota" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_api_key_needs_stories_write(user):
    repository = RepositoryFactory(user=user)

    def create(client):
        return client.post("/api/v1/stories/", {"repository": str(repository.pk)}, format="json").status_code

    assert create(key_client(user, [])) == 403
    assert create(key_client(user, ["stories:write"])) == 202


@pytest.mark.django_db(transaction=True)
def test_20_concurrent_creates_with_3_left_create_exactly_3():
    repository = RepositoryFactory(user=UserFactory(usage_quota=5))
    user = repository.user
    StoryFactory.create_batch(2, user=user, repository=repository)

    def create():
        client = APIClient()
        client.force_authenticate(user)
        return client.post("/api/v1/stories/", {"repository": str(repository.pk)}, format="json").status_code

    statuses = run_concurrently([create] * 20)
    assert sorted(statuses) == [202] * 3 + [429] * 17
    assert Story.objects.filter(user=user).count() == 5


def test_deleting_stories_gives_no_quota_back(user):
    user.usage_quota = 3
    user.save()
    repository = RepositoryFactory(user=user)
    client = APIClient()
    client.force_authenticate(user)
    for _ in range(3):
        created = client.post("/api/v1/stories/", {"repository": str(repository.pk)}, format="json")
        assert created.status_code == 202
        assert client.delete(f"/api/v1/stories/{created.json()['id']}/").status_code == 204
    refused = client.post("/api/v1/stories/", {"repository": str(repository.pk)}, format="json")
    assert refused.status_code == 429
    assert client.get("/api/v1/me/usage/").json()["used"] == 3
    assert Story.objects.filter(user=user).count() == 0


@pytest.mark.django_db(transaction=True)
def test_16_concurrent_create_then_delete_never_exceed_the_quota():
    repository = RepositoryFactory(user=UserFactory(usage_quota=5))
    user = repository.user
    for story in StoryFactory.create_batch(2, user=user, repository=repository):
        story.delete()

    def create_then_delete():
        client = APIClient()
        client.force_authenticate(user)
        response = client.post("/api/v1/stories/", {"repository": str(repository.pk)}, format="json")
        if response.status_code == 202:
            assert client.delete(f"/api/v1/stories/{response.json()['id']}/").status_code == 204
        return response.status_code

    statuses = run_concurrently([create_then_delete] * 16)
    assert sorted(statuses) == [202] * 3 + [429] * 13
    assert selectors.stories_used_this_month(user=user) == 5


def test_stories_inserted_by_raw_sql_count_against_the_quota(user):
    from django.db import connection

    repository = RepositoryFactory(user=user)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO stories (user_id, repository_id, title) VALUES (%s, %s, 'raw'), (%s, %s, 'raw')",
            [user.pk, repository.pk, user.pk, repository.pk],
        )
        cursor.execute("DELETE FROM stories WHERE user_id = %s", [user.pk])
    assert selectors.stories_used_this_month(user=user) == 2
