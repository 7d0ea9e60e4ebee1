from django.contrib import admin
from django.urls import include, path, re_path

from config import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    re_path(r"^api/", views.not_found),
    # No /media/ route: story audio is per-user and served only by the owner-checking story views.
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
