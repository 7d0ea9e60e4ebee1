"""The reader's collections, with their books, groups and positions, in the data archive
(``GET me/export/``)."""

from django.db.models import Prefetch
from rest_framework import serializers

from accounts import personal_data
from catalog.api.serializers import BookReferenceSerializer
from collections_app.models import Collection, CollectionBook, CollectionGroup, GroupBook


class CollectionBookExportSerializer(serializers.ModelSerializer):
    book = BookReferenceSerializer(read_only=True)

    class Meta:
        model = CollectionBook
        fields = ["book", "added_at"]
        read_only_fields = fields


class GroupBookExportSerializer(serializers.ModelSerializer):
    book = BookReferenceSerializer(read_only=True)

    class Meta:
        model = GroupBook
        fields = ["book", "position", "added_at"]
        read_only_fields = fields


class GroupExportSerializer(serializers.ModelSerializer):
    books = GroupBookExportSerializer(source="entries", many=True, read_only=True)

    class Meta:
        model = CollectionGroup
        fields = ["id", "name", "description", "position", "books", "created_at", "updated_at"]
        read_only_fields = fields


class CollectionExportSerializer(serializers.ModelSerializer):
    books = CollectionBookExportSerializer(source="memberships", many=True, read_only=True)
    groups = GroupExportSerializer(many=True, read_only=True)

    class Meta:
        model = Collection
        fields = ["id", "name", "description", "visibility", "books", "groups", "created_at", "updated_at"]
        read_only_fields = fields


def _collections(user):
    return (
        Collection.objects.filter(created_by=user)
        .order_by("created_at", "id")
        .prefetch_related(
            Prefetch(
                "memberships",
                CollectionBook.objects.select_related("book").order_by("added_at", "book_id"),
            ),
            Prefetch(
                "groups",
                CollectionGroup.objects.order_by("position").prefetch_related(
                    Prefetch("entries", GroupBook.objects.select_related("book").order_by("position"))
                ),
            ),
        )
    )


personal_data.register_section(personal_data.Section("collections", _collections, CollectionExportSerializer))
