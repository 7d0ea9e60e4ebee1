"""The /api/v1/ router: each app contributes its own urls."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.views import HealthView

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include("accounts.api.urls")),
    path("", include("catalog.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("favorites.api.urls")),
    path("", include("collections_app.api.urls")),
    path("", include("stories.api.urls")),
]
