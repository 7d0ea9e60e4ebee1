from django.apps import AppConfig


class RatelimitsConfig(AppConfig):
    """Rate limits and sign-in lock-out counters: the counter model, its stores (PostgreSQL or Redis), the
    DRF throttles that count through them, and the purge command. Plumbing: imports no domain app."""

    name = "ratelimits"
    default_auto_field = "django.db.models.BigAutoField"
