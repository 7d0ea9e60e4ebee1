from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.selectors import book_list
from catalog.models import Book
from favorites import selectors, services
from favorites.api.serializers import FavoriteBookSerializer


class BookFavoriteView(APIView):
    """Mark or unmark a book as a favorite. Both are idempotent and answer 204 either way."""

    permission_classes = [IsAuthenticated]
    required_scope = "favorites:write"

    def _book(self, book_id) -> Book:
        return get_object_or_404(Book.objects.only("id"), pk=book_id)

    @extend_schema(request=None, responses={204: None})
    def put(self, request, book_id):
        services.favorite_add(user=request.user, book=self._book(book_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, book_id):
        services.favorite_remove(user=request.user, book_id=self._book(book_id).pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyFavoritesView(generics.ListAPIView):
    """The caller's favorite books, newest favorite first."""

    queryset = Book.objects.none()
    serializer_class = FavoriteBookSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.favorite_books(user=self.request.user, books=book_list(user=self.request.user))
