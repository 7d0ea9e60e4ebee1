from django.apps import AppConfig


class FavoritesConfig(AppConfig):
    name = "favorites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from favorites.api import personal_data  # noqa: F401  (its sections of the reader's data archive)
