from typing import cast

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api.pagination import NewestFirstCursorPagination
from api.parsers import JSONParser
from api.schema import UUID_PATTERN
from catalog.models import Book
from ratelimits.throttles import CountedWithFirstQuery
from reviews import library_selectors, library_services, selectors, services
from reviews.api.serializers import (
    LibraryImportRowFilterSerializer,
    LibraryImportRowResolveSerializer,
    LibraryImportRowSerializer,
    LibraryImportSerializer,
    LibraryImportUploadSerializer,
    ReviewReadSerializer,
    ReviewUpdateSerializer,
    ReviewWriteSerializer,
)
from reviews.library_files import LibraryFileRefused
from reviews.models import LibraryImport, LibraryImportRow, Review


class BookReviewsView(CountedWithFirstQuery, generics.ListCreateAPIView):
    """A book's reviews, newest first (cursor pagination: deep pages cost what the first does)."""

    queryset = Review.objects.none()
    serializer_class = ReviewReadSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    required_scope = "reviews:write"

    def _book(self) -> Book:
        return get_object_or_404(Book.objects.only("id"), pk=self.kwargs["book_id"])

    def list(self, request, *args, **kwargs):
        def fetch(position, newer: bool, limit: int) -> list[dict]:
            return selectors.review_page_for_book(
                book_id=self.kwargs["book_id"],
                viewer=request.user,
                position=position,
                newer=newer,
                limit=limit,
            )

        paginator = cast(NewestFirstCursorPagination, self.paginator)
        rows = paginator.paginate_rows(fetch, request)
        if not rows:
            self._book()  # a missing book is a 404, not an empty list (reviews prove a book exists)
        return paginator.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(request=ReviewWriteSerializer, responses={201: ReviewReadSerializer})
    def create(self, request, *args, **kwargs):
        book = self._book()
        serializer = ReviewWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_create(user=request.user, book=book, **serializer.validated_data)
        review = selectors.review_get_queryset(viewer=request.user).get(pk=review.pk)
        return Response(ReviewReadSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(CountedWithFirstQuery, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Anyone reads a review; its author edits it; its author or staff deletes it. Others get 404."""

    queryset = Review.objects.none()
    serializer_class = ReviewReadSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    required_scope = "reviews:write"
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        if self.action == "destroy" and user.is_staff:
            return selectors.review_get_queryset(viewer=user, include_hidden=True)
        queryset = selectors.review_get_queryset(viewer=user)
        if self.action in ("partial_update", "destroy"):
            # Writes need a signed-in user (IsAuthenticatedOrReadOnly); someone else's review does not exist for you.
            queryset = queryset.filter(user=cast(User, user))
        return queryset

    @extend_schema(request=ReviewUpdateSerializer, responses=ReviewReadSerializer)
    def partial_update(self, request, *args, **kwargs):
        review = self.get_object()
        serializer = ReviewUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.review_update(review=review, **serializer.validated_data)
        return Response(ReviewReadSerializer(self.get_queryset().get(pk=review.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.review_delete(review=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyReviewsView(generics.ListAPIView):
    queryset = Review.objects.none()
    serializer_class = ReviewReadSerializer
    pagination_class = NewestFirstCursorPagination
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.review_list_for_user(user=self.request.user)


# --- library imports and exports ------------------------------------------------------------------------------

CSV_RESPONSE = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="A CSV file (UTF-8).")}


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class LibraryImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The reader's imports of a Goodreads or StoryGraph library export, newest first. An import runs in
    the background: poll it for ``rows_done`` of ``rows_total`` until its status is ``complete``."""

    queryset = LibraryImport.objects.none()
    serializer_class = LibraryImportSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = UUID_PATTERN
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return library_selectors.library_import_list(user=cast(User, self.request.user))

    @extend_schema(
        request={"multipart/form-data": LibraryImportUploadSerializer},
        responses={202: LibraryImportSerializer, 413: OpenApiResponse(description="The file is over 10 MB.")},
        summary="Import a Goodreads or StoryGraph export.",
    )
    def create(self, request):
        serializer = LibraryImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            library_import = library_services.library_import_start(
                user=cast(User, request.user),
                file_name=upload.name or "",
                data=upload.read(settings.LIBRARY_IMPORT_MAX_BYTES + 1),
            )
        except LibraryFileRefused as exc:
            return Response({"file": [str(exc)]}, status=exc.status)
        return Response(LibraryImportSerializer(library_import).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=LibraryImportSerializer, summary="Undo a whole import.")
    @action(detail=True, methods=["post"], parser_classes=[JSONParser])
    def undo(self, request, pk=None):
        library_import = library_services.library_import_undo(library_import=self.get_object())
        return Response(LibraryImportSerializer(library_import).data)


class LibraryImportRowsView(generics.ListAPIView):
    """Every row of an import, in file order; ``?outcome=unmatched`` for those to resolve."""

    queryset = LibraryImportRow.objects.none()
    serializer_class = LibraryImportRowSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        asked = self.request.query_params
        filters = LibraryImportRowFilterSerializer(
            data={name: asked[name] for name in ("outcome",) if name in asked}
        )
        filters.is_valid(raise_exception=True)
        library_import = library_selectors.library_import_get(
            user=cast(User, self.request.user), import_id=self.kwargs["import_id"]
        )
        return library_selectors.library_import_rows(
            library_import=library_import, outcome=filters.validated_data.get("outcome")
        )

    @extend_schema(parameters=[LibraryImportRowFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class LibraryImportRowView(APIView):
    permission_classes = [IsAuthenticated]

    def _import(self, request, import_id) -> LibraryImport:
        return library_selectors.library_import_get(user=cast(User, request.user), import_id=import_id)

    @extend_schema(responses=LibraryImportRowSerializer)
    def get(self, request, import_id, number):
        row = library_selectors.library_import_row_get(
            library_import=self._import(request, import_id), number=number
        )
        return Response(LibraryImportRowSerializer(row).data)

    @extend_schema(
        request=LibraryImportRowResolveSerializer,
        responses=LibraryImportRowSerializer,
        summary="Resolve an unmatched row to a catalog book, and apply it.",
    )
    def patch(self, request, import_id, number):
        library_import = self._import(request, import_id)
        row = library_selectors.library_import_row_get(library_import=library_import, number=number)
        serializer = LibraryImportRowResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        book = Book.objects.filter(pk=serializer.validated_data["book"]).first()
        if book is None:
            return Response({"book": ["No catalog book has this id."]}, status=status.HTTP_400_BAD_REQUEST)
        library_services.library_import_row_resolve(row=row, book=book)
        row = library_selectors.library_import_row_get(library_import=library_import, number=number)
        return Response(LibraryImportRowSerializer(row).data)


class LibraryImportUnmatchedView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CSV_RESPONSE, summary="The rows no book matched, with why, as CSV.")
    def get(self, request, import_id):
        library_import = library_selectors.library_import_get(
            user=cast(User, request.user), import_id=import_id
        )
        text = library_selectors.library_import_unmatched_csv(library_import=library_import)
        return _csv_response(text, f"folio-unmatched-{library_import.pk}.csv")


class GoodreadsExportView(APIView):
    """The reader's ratings, reviews and collections in Goodreads' CSV columns, which Folio's importer (and
    Goodreads') reads back."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=CSV_RESPONSE, summary="Export your library as a Goodreads CSV.")
    def get(self, request):
        text = library_selectors.goodreads_export_csv(user=cast(User, request.user))
        return _csv_response(text, "folio-goodreads-export.csv")
