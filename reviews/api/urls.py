from django.urls import path
from rest_framework.routers import SimpleRouter

from reviews.api import views

router = SimpleRouter()
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = [
    path("books/<uuid:book_id>/reviews/", views.BookReviewsView.as_view(), name="book-reviews"),
    path("me/reviews/", views.MyReviewsView.as_view(), name="my-reviews"),
    *router.urls,
]
