"""Production: DEBUG off, secrets from the environment, HTTPS everywhere.

Behind a TLS-terminating proxy, set ``SECURE_PROXY_SSL_HEADER_ENABLED=true`` so Django trusts the
proxy's ``X-Forwarded-Proto: https`` header; only do so when the proxy strips that header from clients.
"""

from .base import *  # noqa: F403
from .base import JSON_RENDERER, REST_FRAMEWORK, env

DEBUG = False
# Never from the environment: a user must not make the server read its own disk.
STORY_ALLOW_LOCAL_REPOSITORIES = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [JSON_RENDERER]
