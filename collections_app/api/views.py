from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import UUID_PATTERN
from catalog.models import Book
from collections_app import selectors, services
from collections_app.api.serializers import (
    CollectionDetailSerializer,
    CollectionMembershipSerializer,
    CollectionReadSerializer,
    CollectionWriteSerializer,
    GroupEntrySerializer,
    GroupReadSerializer,
    GroupWriteSerializer,
    PositionSerializer,
)
from collections_app.models import Collection, CollectionBook, CollectionGroup, GroupBook
from ratelimits.throttles import CountedWithFirstQuery

# The mixin goes in front of a DRF view; the type checker is told so.
if TYPE_CHECKING:
    _ViewBase = APIView
else:
    _ViewBase = object


class CollectionWriteMixin(_ViewBase):
    permission_classes = [IsAuthenticatedOrReadOnly]
    required_scope = "collections:write"

    def owned_collection(self) -> Collection:
        return selectors.collection_get_for_write(
            user=self.request.user, collection_id=self.kwargs["collection_id"]
        )


class CollectionViewSet(CountedWithFirstQuery, viewsets.GenericViewSet):
    """Your collections and public ones. Unlisted collections are readable by link; private ones only
    by their owner (others get 404)."""

    queryset = Collection.objects.none()
    serializer_class = CollectionReadSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    required_scope = "collections:write"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        return selectors.collection_list(user=self.request.user)

    def _detail(self, pk, status_code=status.HTTP_200_OK) -> Response:
        collection = selectors.collection_detail(user=self.request.user, collection_id=pk)
        return Response(CollectionDetailSerializer(collection).data, status=status_code)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CollectionReadSerializer(page, many=True).data)

    @extend_schema(responses=CollectionDetailSerializer)
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(request=CollectionWriteSerializer, responses={201: CollectionDetailSerializer})
    def create(self, request):
        serializer = CollectionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        collection = services.collection_create(owner=request.user, **serializer.validated_data)
        return self._detail(collection.pk, status.HTTP_201_CREATED)

    @extend_schema(request=CollectionWriteSerializer, responses=CollectionDetailSerializer)
    def partial_update(self, request, pk=None):
        collection = selectors.collection_get_for_write(user=request.user, collection_id=pk)
        serializer = CollectionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.collection_update(collection=collection, **serializer.validated_data)
        return self._detail(pk)

    def destroy(self, request, pk=None):
        collection = selectors.collection_get_for_write(user=request.user, collection_id=pk)
        services.collection_delete(collection=collection)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollectionBookListView(CountedWithFirstQuery, generics.ListAPIView):
    """The collection's books in the order they were added, a page at a time (readable as the collection
    is; others get 404)."""

    queryset = CollectionBook.objects.none()
    serializer_class = CollectionMembershipSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        collection = get_object_or_404(
            selectors.collection_readable(user=self.request.user).only("id"), pk=self.kwargs["collection_id"]
        )
        return selectors.collection_memberships(collection=collection)


class GroupBookListView(CountedWithFirstQuery, generics.ListAPIView):
    """A group's books in their order, a page at a time (readable as its collection is)."""

    queryset = GroupBook.objects.none()
    serializer_class = GroupEntrySerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        group = selectors.group_readable(
            user=self.request.user,
            collection_id=self.kwargs["collection_id"],
            group_id=self.kwargs["group_id"],
        )
        return selectors.group_entries(group=group)


class CollectionBookView(CollectionWriteMixin, APIView):
    """Add (PUT) or remove (DELETE) a book; both idempotent. Removing also removes it from every group."""

    @extend_schema(request=None, responses={204: None})
    def put(self, request, collection_id, book_id):
        collection = self.owned_collection()
        services.collection_add_book(
            collection=collection, book=get_object_or_404(Book.objects.only("id"), pk=book_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, collection_id, book_id):
        services.collection_remove_book(collection=self.owned_collection(), book_id=book_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupViewSet(CountedWithFirstQuery, CollectionWriteMixin, viewsets.GenericViewSet):
    queryset = CollectionGroup.objects.none()
    serializer_class = GroupReadSerializer
    lookup_value_regex = UUID_PATTERN
    pagination_class = None  # a collection's groups are shown whole, in order

    def _readable_collection(self) -> Collection:
        return get_object_or_404(
            selectors.collection_readable(user=self.request.user).only("id"),
            pk=self.kwargs["collection_id"],
        )

    def get_queryset(self):
        return selectors.group_list(collection=self._readable_collection())

    def _group(self, collection: Collection, pk) -> CollectionGroup:
        return get_object_or_404(CollectionGroup.objects.all(), collection=collection, pk=pk)

    def _read(self, pk, status_code=status.HTTP_200_OK) -> Response:
        group = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(GroupReadSerializer(group).data, status=status_code)

    def list(self, request, collection_id):
        return Response(GroupReadSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, collection_id, pk=None):
        return self._read(pk)

    @extend_schema(request=GroupWriteSerializer, responses={201: GroupReadSerializer})
    def create(self, request, collection_id):
        collection = self.owned_collection()
        serializer = GroupWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = services.group_create(collection=collection, **serializer.validated_data)
        return self._read(group.pk, status.HTTP_201_CREATED)

    @extend_schema(request=GroupWriteSerializer, responses=GroupReadSerializer)
    def partial_update(self, request, collection_id, pk=None):
        group = self._group(self.owned_collection(), pk)
        serializer = GroupWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.group_update(group=group, **serializer.validated_data)
        return self._read(pk)

    def destroy(self, request, collection_id, pk=None):
        services.group_delete(group=self._group(self.owned_collection(), pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupBookView(CollectionWriteMixin, APIView):
    """Put a book in a group at a position (default: the end), or move it there; DELETE removes it from
    the group (it stays in the collection). Both idempotent."""

    def _group(self) -> CollectionGroup:
        collection = self.owned_collection()
        return get_object_or_404(
            CollectionGroup.objects.all(),
            collection=collection,
            pk=self.kwargs["group_id"],
        )

    @extend_schema(request=PositionSerializer, responses={204: None})
    def put(self, request, collection_id, group_id, book_id):
        serializer = PositionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = self._group()
        book = get_object_or_404(Book.objects.only("id"), pk=book_id)
        services.group_put_book(group=group, book=book, position=serializer.validated_data.get("position"))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, collection_id, group_id, book_id):
        services.group_remove_book(group=self._group(), book_id=book_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
