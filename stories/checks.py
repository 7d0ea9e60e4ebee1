from django.conf import settings
from django.core.checks import Error, register

from stories.fetching import parse_networks


@register()
def fetch_allowed_networks_parse(app_configs, **kwargs) -> list[Error]:
    """A typo in STORY_FETCH_ALLOWED_NETWORKS is caught at startup, not when a story is fetched."""
    try:
        parse_networks(list(settings.STORY_FETCH_ALLOWED_NETWORKS))
    except ValueError as exc:
        return [Error(f"STORY_FETCH_ALLOWED_NETWORKS: {exc}", id="stories.E001")]
    return []
