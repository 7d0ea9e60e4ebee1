from django.apps import AppConfig


class CollectionsAppConfig(AppConfig):
    name = "collections_app"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Collections"
