from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from stories import checks, receivers  # noqa: F401 - registers the system check and media clean-up
