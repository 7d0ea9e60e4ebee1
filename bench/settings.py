"""Production settings with the bench's bare views routed beside Folio's (``bench/api.py`` serves this
module with gunicorn; nothing in production imports it)."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
