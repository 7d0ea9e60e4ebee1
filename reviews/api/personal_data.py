"""The reader's reviews and library imports in the data archive (``GET me/export/``)."""

from rest_framework import serializers

from accounts import personal_data
from catalog.api.serializers import BookReferenceSerializer
from reviews.models import LibraryImport, Review


class ReviewExportSerializer(serializers.ModelSerializer):
    book = BookReferenceSerializer(read_only=True)
    hidden = serializers.BooleanField(source="is_hidden", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "book",
            "rating",
            "review_text",
            "hidden",
            "hidden_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LibraryImportExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = LibraryImport
        fields = [
            "id",
            "source",
            "file_name",
            "status",
            "rows_total",
            "matched_count",
            "unmatched_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "created_at",
            "finished_at",
            "undone_at",
        ]
        read_only_fields = fields


personal_data.register_section(
    personal_data.Section(
        "reviews",
        lambda user: Review.objects.filter(user=user).select_related("book").order_by("created_at", "id"),
        ReviewExportSerializer,
    )
)
personal_data.register_section(
    personal_data.Section(
        "library_imports",
        lambda user: LibraryImport.objects.filter(user=user).order_by("created_at", "id"),
        LibraryImportExportSerializer,
    )
)
