from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import (
    PreparedField,
    ReadModelSerializer,
    StrictModelSerializer,
    StrictSerializer,
    row_value,
)
from catalog.api.filters import SEARCH_MAX_LENGTH
from catalog.api.selectors import LIST_FIELDS
from catalog.models import Book, Genre


class GenreSerializer(StrictModelSerializer):
    class Meta:
        model = Genre
        fields = ["id", "name", "slug", "description", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"slug": {"required": False, "validators": []}, "name": {"validators": []}}


class GenreBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Genre
        fields = ["name", "slug"]
        read_only_fields = fields


class AverageRatingField(serializers.DecimalField):
    """The stored average, or null for a book nobody has rated (the column keeps the specification's 0.00,
    which would read as "rated zero")."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=3,
            decimal_places=2,
            read_only=True,
            allow_null=True,
            help_text="Null when the book has no reviews.",
            **kwargs,
        )

    def get_attribute(self, instance):
        return row_value(instance, "average_rating") if row_value(instance, "total_reviews") else None


class BookSuggestionSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True)
    publication_year = serializers.IntegerField(read_only=True, allow_null=True)


class BookSuggestQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=SEARCH_MAX_LENGTH,
        allow_blank=True,
        trim_whitespace=False,
        help_text="What the reader has typed so far (a prefix of the last word is enough; typos are forgiven).",
    )


class BookListSerializer(ReadModelSerializer):
    cover_image_url = serializers.CharField(read_only=True, help_text="An image URL, or empty when unknown.")
    genres = PreparedField(GenreBriefSerializer(many=True), source="genres_brief")
    average_rating = AverageRatingField()
    total_reviews = serializers.IntegerField(read_only=True)
    my_rating = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The caller's own stars for this book; null if none."
    )
    is_favorite = serializers.BooleanField(
        read_only=True,
        allow_null=True,
        help_text="Whether you have favorited it; null for anonymous callers.",
    )

    class Meta:
        model = Book
        # The columns the read model loads for a list, then what it computes per viewer and per book.
        fields = [*LIST_FIELDS, "my_rating", "is_favorite", "genres"]
        read_only_fields = fields


class BookDetailSerializer(BookListSerializer):
    rating_histogram = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    favorite_count = serializers.IntegerField(read_only=True)

    class Meta(BookListSerializer.Meta):
        fields = [
            *BookListSerializer.Meta.fields,
            "description",
            "publication_date",
            "rating_histogram",
            "favorite_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {"type": "string", "format": "uri", "maxLength": 1000, "pattern": r"^(|(https?|ftps?)://\S+)$"}
)
class WebURLField(serializers.URLField):
    """An http(s) or ftp(s) URL, as Django's validator accepts (the schema's ``uri`` alone would also allow
    ``mailto:`` or ``urn:``), or empty."""


class BookWriteSerializer(StrictSerializer):
    """Field shapes only; ISBN normalisation and uniqueness are checked by the service."""

    title = serializers.CharField(max_length=500)
    author = serializers.CharField(max_length=300)
    isbn = serializers.CharField(max_length=32, required=False, allow_blank=True, allow_null=True)
    description = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    cover_image_url = WebURLField(max_length=1000, required=False, allow_blank=True)
    publication_date = serializers.DateField(required=False, allow_null=True)
    publication_year = serializers.IntegerField(
        min_value=-5000, max_value=2100, required=False, allow_null=True
    )
    language_code = serializers.CharField(max_length=16, required=False, allow_blank=True)
    genres = serializers.SlugRelatedField(
        slug_field="slug", queryset=Genre.objects.all(), many=True, required=False, help_text="Genre slugs."
    )


class BookReferenceSerializer(serializers.ModelSerializer):
    """Enough of a book to find it again anywhere: in the reader's data archive, an import's report."""

    class Meta:
        model = Book
        fields = ["id", "title", "author", "isbn"]
        read_only_fields = fields
