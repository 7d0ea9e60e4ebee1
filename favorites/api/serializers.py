from rest_framework import serializers

from catalog.api.serializers import BookListSerializer


class FavoriteBookSerializer(BookListSerializer):
    """A book in the caller's favorites: the book as lists show it, and when it was favorited."""

    favorited_at = serializers.DateTimeField(read_only=True)

    class Meta(BookListSerializer.Meta):
        fields = [*BookListSerializer.Meta.fields, "favorited_at"]
        read_only_fields = fields
