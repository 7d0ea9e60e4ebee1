from django.urls import path
from rest_framework.routers import SimpleRouter

from stories.api import views

router = SimpleRouter()
router.register("repositories", views.RepositoryViewSet, basename="repository")
router.register("intents", views.IntentViewSet, basename="intent")
router.register("stories", views.StoryViewSet, basename="story")

urlpatterns = [path("me/usage/", views.UsageView.as_view(), name="me-usage"), *router.urls]
