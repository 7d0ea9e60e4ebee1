from rest_framework import serializers

from api.serializers import ReadModelSerializer, StrictSerializer, row_value
from reviews.models import REVIEW_TEXT_MAX, Review


class ReviewReadSerializer(ReadModelSerializer):
    reviewer = serializers.SerializerMethodField()
    hidden = serializers.BooleanField(
        source="is_hidden",
        read_only=True,
        help_text="Hidden by a moderator: only its author sees it, and it leaves the book's ratings.",
    )
    hidden_reason = serializers.CharField(
        read_only=True, help_text="Why a moderator hid it; empty for a visible review."
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "book",
            "reviewer",
            "rating",
            "review_text",
            "hidden",
            "hidden_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_reviewer(self, review: Review | dict) -> str:
        # Readers are shown by first name and initial, never by email (the selectors read only these two).
        first_name, last_name = (
            row_value(review, "reviewer_first_name"),
            row_value(review, "reviewer_last_name"),
        )
        initial = f" {last_name[:1]}." if last_name else ""
        return f"{first_name}{initial}".strip() or "A reader"


class ReviewWriteSerializer(StrictSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    review_text = serializers.CharField(
        max_length=REVIEW_TEXT_MAX, required=False, allow_blank=True, default=""
    )


class ReviewUpdateSerializer(ReviewWriteSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False)
    review_text = serializers.CharField(max_length=REVIEW_TEXT_MAX, required=False, allow_blank=True)
