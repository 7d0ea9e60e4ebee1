from django.apps import AppConfig


class FavoritesConfig(AppConfig):
    name = "favorites"
    default_auto_field = "django.db.models.BigAutoField"
