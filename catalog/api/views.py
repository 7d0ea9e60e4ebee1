import uuid
from collections.abc import Sequence

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import filters_asked
from api.schema import UUID_PATTERN
from catalog import selectors, services
from catalog.api import selectors as read_model
from catalog.api.filters import SEARCH_MAX_LENGTH, BookFilter
from catalog.api.permissions import IsStaffOrReadOnly
from catalog.api.serializers import (
    BookDetailSerializer,
    BookListSerializer,
    BookSuggestionSerializer,
    BookSuggestQuerySerializer,
    BookWriteSerializer,
    GenreSerializer,
)
from catalog.models import Book, Genre
from ratelimits.throttles import CountedWithFirstQuery


class BookViewSet(
    CountedWithFirstQuery, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Books. Anyone reads; staff (or a staff API key with `catalog:write`) writes."""

    queryset = Book.objects.none()
    permission_classes = [IsStaffOrReadOnly]
    required_scope = "catalog:write"
    filterset_class = BookFilter
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            return read_model.book_list(user=user)
        return read_model.book_detail_queryset(user=user)

    def list(self, request, *args, **kwargs):
        # The two commonest reads, the list as it is and a search alone, run compiled statements; any
        # other filter goes through the filterset.
        search = _search_alone(request)
        pages: Sequence[dict]
        if search is not None:
            pages = read_model.book_search_pages(text=search, user=request.user)
        elif not filters_asked(request, BookFilter):
            pages = read_model.book_list_pages(user=request.user)
        else:
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(pages)
        return self.get_paginated_response(BookListSerializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        book = read_model.book_detail_row(book_id=uuid.UUID(kwargs["pk"]), user=request.user)
        if book is None:
            raise Http404
        return Response(BookDetailSerializer(book).data)

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return BookWriteSerializer
        return BookListSerializer if self.action == "list" else BookDetailSerializer

    @extend_schema(
        parameters=[BookSuggestQuerySerializer],
        responses={200: BookSuggestionSerializer(many=True)},
        description="Search-as-you-type: at most ten books for what is typed so far, ranked like the search.",
    )
    @action(detail=False, methods=["get"], url_path="suggest", filter_backends=[], pagination_class=None)
    def suggest(self, request):
        query = BookSuggestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        books = selectors.book_suggest(text=query.validated_data["q"])
        return Response(BookSuggestionSerializer(books, many=True).data)

    def _detail_response(self, book: Book, status_code=status.HTTP_200_OK) -> Response:
        return Response(
            BookDetailSerializer(book, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(request=BookWriteSerializer, responses={201: BookDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = BookWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        book = services.book_create(**serializer.validated_data)
        book = self.get_queryset().get(pk=book.pk)  # re-read with the same joins as reads
        return self._detail_response(book, status.HTTP_201_CREATED)

    @extend_schema(request=BookWriteSerializer, responses={200: BookDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        book = get_object_or_404(Book.objects.all(), pk=kwargs["pk"])
        serializer = BookWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        book = services.book_update(book=book, **serializer.validated_data)
        return self._detail_response(self.get_queryset().get(pk=book.pk))

    def destroy(self, request, *args, **kwargs):
        book = get_object_or_404(Book.objects.all(), pk=kwargs["pk"])
        services.book_delete(book=book)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _search_alone(request) -> str | None:
    """The search text when ``search`` is the only filter asked for and the filterset would take it as it
    is (stripped, within its length, no NUL); None otherwise, so the filterset decides and explains."""
    if "search" not in request.query_params:
        return None
    if any(name in request.query_params for name in BookFilter.base_filters if name != "search"):
        return None
    text = request.query_params["search"].strip()
    if not text or len(text) > SEARCH_MAX_LENGTH or "\x00" in text:
        return None
    return text


class GenreViewSet(
    CountedWithFirstQuery,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Genre.objects.none()
    serializer_class = GenreSerializer
    permission_classes = [IsStaffOrReadOnly]
    required_scope = "catalog:write"
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.genre_list()

    def perform_create(self, serializer):
        serializer.instance = services.genre_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.genre_update(genre=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.genre_delete(genre=instance)
