from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import sweepers
        from stories import checks, receivers  # noqa: F401 - registers the system check and media clean-up
        from stories.api import personal_data  # noqa: F401  (its sections of the reader's data archive)
        from stories.services import stories_fail_stuck

        sweepers.register("stories", stories_fail_stuck)
