from django.apps import AppConfig


class CollectionsAppConfig(AppConfig):
    name = "collections_app"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Collections"

    def ready(self) -> None:
        from collections_app.api import personal_data  # noqa: F401  (its sections of the reader's data archive)
