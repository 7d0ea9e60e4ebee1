"""The reader's favorites in the data archive (``GET me/export/``)."""

from rest_framework import serializers

from accounts import personal_data
from catalog.api.serializers import BookReferenceSerializer
from favorites.models import UserFavorite


class FavoriteExportSerializer(serializers.ModelSerializer):
    book = BookReferenceSerializer(read_only=True)

    class Meta:
        model = UserFavorite
        fields = ["book", "created_at"]
        read_only_fields = fields


personal_data.register_section(
    personal_data.Section(
        "favorites",
        lambda user: (
            UserFavorite.objects.filter(user=user).select_related("book").order_by("created_at", "book_id")
        ),
        FavoriteExportSerializer,
    )
)
