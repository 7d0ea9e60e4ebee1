from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import sweepers
        from reviews.api import personal_data  # noqa: F401  (its sections of the reader's data archive)
        from reviews.library_services import library_imports_recover

        sweepers.register("library imports", library_imports_recover)
