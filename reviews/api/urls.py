from django.urls import path
from rest_framework.routers import SimpleRouter

from reviews.api import views

router = SimpleRouter()
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("me/imports", views.LibraryImportViewSet, basename="library-import")

urlpatterns = [
    path("books/<uuid:book_id>/reviews/", views.BookReviewsView.as_view(), name="book-reviews"),
    path("me/reviews/", views.MyReviewsView.as_view(), name="my-reviews"),
    path(
        "me/imports/<uuid:import_id>/rows/", views.LibraryImportRowsView.as_view(), name="library-import-rows"
    ),
    path(
        "me/imports/<uuid:import_id>/rows/<int:number>/",
        views.LibraryImportRowView.as_view(),
        name="library-import-row",
    ),
    path(
        "me/imports/<uuid:import_id>/unmatched.csv",
        views.LibraryImportUnmatchedView.as_view(),
        name="library-import-unmatched",
    ),
    path("me/export/goodreads.csv", views.GoodreadsExportView.as_view(), name="goodreads-export"),
    *router.urls,
]
