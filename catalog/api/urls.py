from rest_framework.routers import SimpleRouter

from catalog.api import views

router = SimpleRouter()
router.register("books", views.BookViewSet, basename="book")
router.register("genres", views.GenreViewSet, basename="genre")

urlpatterns = router.urls
