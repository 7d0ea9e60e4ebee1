from rest_framework import serializers

from api.serializers import ReadModelSerializer, StrictSerializer, row_value
from catalog.api.serializers import BookReferenceSerializer
from reviews.models import REVIEW_TEXT_MAX, ImportStatus, LibraryImport, LibraryImportRow, Review, RowOutcome


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


# --- library imports ------------------------------------------------------------------------------------------


class LibraryImportSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(help_text="Rows matched so far, from 0 to 1.")

    class Meta:
        model = LibraryImport
        fields = [
            "id",
            "source",
            "file_name",
            "status",
            "rows_total",
            "rows_done",
            "progress",
            "matched_count",
            "unmatched_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_message",
            "created_at",
            "finished_at",
            "undone_at",
        ]
        read_only_fields = fields

    def get_progress(self, library_import: LibraryImport) -> float:
        if library_import.status == ImportStatus.COMPLETE or not library_import.rows_total:
            return 1.0 if library_import.status == ImportStatus.COMPLETE else 0.0
        return round(library_import.rows_done / library_import.rows_total, 4)


class LibraryImportUploadSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text="A Goodreads or StoryGraph library export (CSV, UTF-8 or UTF-16), at most 10 MB and 50,000 rows."
    )


class ShelfSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True, allow_null=True)


class BookCandidateSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True)
    score = serializers.FloatField(read_only=True, required=False)


class LibraryImportRowSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="entry.title", read_only=True)
    author = serializers.CharField(source="entry.author", read_only=True)
    isbn13 = serializers.CharField(source="entry.isbn13", read_only=True)
    isbn10 = serializers.CharField(source="entry.isbn10", read_only=True)
    rating = serializers.IntegerField(
        source="entry.rating", read_only=True, allow_null=True, help_text="Whole stars, as imported."
    )
    shelves = ShelfSerializer(source="entry.shelves", many=True, read_only=True)
    date_added = serializers.CharField(source="entry.date_added", read_only=True, allow_null=True)
    book = BookReferenceSerializer(read_only=True, allow_null=True)
    candidates = BookCandidateSerializer(many=True, read_only=True)
    notes = serializers.ListField(child=serializers.CharField(), read_only=True)
    cells = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text="The row as the file gave it, by column."
    )

    class Meta:
        model = LibraryImportRow
        fields = [
            "number",
            "outcome",
            "title",
            "author",
            "isbn13",
            "isbn10",
            "rating",
            "shelves",
            "date_added",
            "book",
            "match_method",
            "match_confidence",
            "unmatched_reason",
            "candidates",
            "notes",
            "cells",
        ]
        read_only_fields = fields


class LibraryImportRowFilterSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=RowOutcome.choices, required=False)


class LibraryImportRowResolveSerializer(StrictSerializer):
    book = serializers.UUIDField(help_text="The catalog book this row is about.")
