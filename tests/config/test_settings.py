import os
import secrets

from tests.processes import ROOT, manage_py


def test_production_settings_pass_the_deployment_checklist():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "folio.example.com",
    }
    result = manage_py("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", ALLOWED_HOSTS="folio.example.com")
    result = manage_py("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


SECURITY_SETTINGS = """
import json
from django.conf import settings
from django.urls import Resolver404, resolve

try:
    media_view = resolve("/media/stories/x/story.wav").func.__name__
except Resolver404:
    media_view = None
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "STORY_ALLOW_LOCAL_REPOSITORIES": settings.STORY_ALLOW_LOCAL_REPOSITORIES,
    "STORY_FETCH_ALLOWED_NETWORKS": settings.STORY_FETCH_ALLOWED_NETWORKS,
    "media_view": media_view,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_CONTENT_TYPE_NOSNIFF": settings.SECURE_CONTENT_TYPE_NOSNIFF,
    "X_FRAME_OPTIONS": settings.X_FRAME_OPTIONS,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "renderers": settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"],
}))
"""


def _settings_of(module: str, **variables: str) -> dict:
    """The security-relevant settings as ``module`` decides them, with only ``variables`` set."""
    import json

    keep = {"PATH", "HOME", "DATABASE_URL", "LANG"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(DJANGO_SETTINGS_MODULE=module, **variables)
    result = manage_py("shell", "-c", SECURITY_SETTINGS, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_safe_with_only_the_required_variables():
    values = _settings_of(
        "config.settings.production", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="folio.example.com"
    )
    assert values == {
        "DEBUG": False,
        "STORY_ALLOW_LOCAL_REPOSITORIES": False,
        "STORY_FETCH_ALLOWED_NETWORKS": [],
        "media_view": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "X_FRAME_OPTIONS": "DENY",
        "ALLOWED_HOSTS": ["folio.example.com"],
        "renderers": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    }


def test_production_ignores_debug_and_local_repository_variables():
    values = _settings_of(
        "config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="folio.example.com",
        DEBUG="true",
        STORY_ALLOW_LOCAL_REPOSITORIES="true",
    )
    assert (values["DEBUG"], values["STORY_ALLOW_LOCAL_REPOSITORIES"]) == (False, False)


def test_development_reads_local_repositories_and_base_alone_does_not():
    development = _settings_of("config.settings.development")
    assert (development["DEBUG"], development["STORY_ALLOW_LOCAL_REPOSITORIES"]) == (True, True)
    assert development["media_view"] is None  # audio goes through the owner-checking views here too
    base = _settings_of("config.settings.base")
    assert (base["DEBUG"], base["STORY_ALLOW_LOCAL_REPOSITORIES"]) == (False, False)
    assert (
        _settings_of("config.settings.development", DEBUG="false")["STORY_ALLOW_LOCAL_REPOSITORIES"] is False
    )


def test_wsgi_defaults_to_production_and_manage_to_development():
    assert "config.settings.production" in (ROOT / "config" / "wsgi.py").read_text()
    assert "config.settings.development" in (ROOT / "manage.py").read_text()
