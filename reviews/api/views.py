from typing import cast

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from accounts.models import User
from api.pagination import NewestFirstCursorPagination
from api.schema import UUID_PATTERN
from catalog.models import Book
from reviews import selectors, services
from reviews.api.serializers import ReviewReadSerializer, ReviewUpdateSerializer, ReviewWriteSerializer
from reviews.models import Review


class BookReviewsView(generics.ListCreateAPIView):
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


class ReviewViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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
