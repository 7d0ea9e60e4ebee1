from django.urls import path

from favorites.api import views

urlpatterns = [
    path("books/<uuid:book_id>/favorite/", views.BookFavoriteView.as_view(), name="book-favorite"),
    path("me/favorites/", views.MyFavoritesView.as_view(), name="my-favorites"),
]
