from django.urls import path
from rest_framework.routers import SimpleRouter

from stories.api import views

router = SimpleRouter()
router.register("repositories", views.RepositoryViewSet, basename="repository")
router.register("intents", views.IntentViewSet, basename="intent")
router.register("stories", views.StoryViewSet, basename="story")

urlpatterns = [
    path("me/usage/", views.UsageView.as_view(), name="me-usage"),
    path("stories/<uuid:pk>/transcript.vtt", views.StoryTranscriptView.as_view(), name="story-transcript"),
    path("stories/<uuid:pk>/chapters.vtt", views.StoryChaptersVttView.as_view(), name="story-chapters-vtt"),
    *router.urls,
]
