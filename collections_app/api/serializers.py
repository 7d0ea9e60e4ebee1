from rest_framework import serializers

from api.serializers import PreparedField, ReadModelSerializer, StrictSerializer
from catalog.models import Book
from collections_app.models import (
    NAME_MAX,
    Collection,
    CollectionBook,
    CollectionGroup,
    GroupBook,
    Visibility,
)


class CollectionBookBriefSerializer(ReadModelSerializer):
    cover_image_url = serializers.CharField(read_only=True, help_text="An image URL, or empty when unknown.")

    class Meta:
        model = Book
        fields = ["id", "title", "author", "cover_image_url"]
        read_only_fields = fields


class _BookEntrySerializer(serializers.ModelSerializer):
    """A row that places a book somewhere: the book in brief, beside the row's own fields."""

    book = CollectionBookBriefSerializer(read_only=True)


class GroupEntrySerializer(_BookEntrySerializer):
    class Meta:
        model = GroupBook
        fields = ["position", "book"]
        read_only_fields = fields


class CollectionMembershipSerializer(_BookEntrySerializer):
    class Meta:
        model = CollectionBook
        fields = ["added_at", "book"]
        read_only_fields = fields


class GroupReadSerializer(ReadModelSerializer):
    book_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CollectionGroup
        fields = ["id", "name", "description", "position", "book_count", "created_at", "updated_at"]
        read_only_fields = fields


class GroupBriefSerializer(serializers.ModelSerializer):
    book_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CollectionGroup
        fields = ["id", "name", "description", "position", "book_count"]
        read_only_fields = fields


class CollectionReadSerializer(ReadModelSerializer):
    owner = serializers.UUIDField(source="created_by_id", read_only=True, allow_null=True)
    group_count = serializers.IntegerField(read_only=True)
    book_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Collection
        fields = [
            "id",
            "name",
            "description",
            "visibility",
            "owner",
            "group_count",
            "book_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CollectionDetailSerializer(CollectionReadSerializer):
    groups = PreparedField(
        GroupBriefSerializer(many=True),
        source="group_rows",
        help_text="The groups in order, each with its book count; their books are read from the group's "
        "books/ list, the collection's own from its books/ list, a page at a time.",
    )

    class Meta(CollectionReadSerializer.Meta):
        fields = [*CollectionReadSerializer.Meta.fields, "groups"]
        read_only_fields = fields


class CollectionWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=NAME_MAX)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)


class GroupWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=NAME_MAX)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    position = serializers.IntegerField(
        min_value=0, required=False, help_text="0-based; past the end means at the end. Others shift."
    )


class PositionSerializer(StrictSerializer):
    position = serializers.IntegerField(
        min_value=0, required=False, help_text="0-based; default and past the end: at the end."
    )
