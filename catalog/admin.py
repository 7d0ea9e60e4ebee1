from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count

from catalog import selectors
from catalog.isbn import InvalidIsbn, normalize_isbn
from catalog.models import Book, BookGenre, Genre
from config.forms import SafeFormsAdminMixin
from favorites.selectors import annotate_favorite_count


class BookGenreInline(SafeFormsAdminMixin, admin.TabularInline):
    model = BookGenre
    extra = 1
    autocomplete_fields = ["genre"]
    verbose_name = "genre"
    verbose_name_plural = "genres"


class CenturyListFilter(admin.SimpleListFilter):
    title = "publication year"
    parameter_name = "century"

    def lookups(self, request, model_admin):
        return [
            ("2000", "2000 and later"),
            ("1900", "1900–1999"),
            ("1800", "1800–1899"),
            ("0", "0–1799"),
            ("bce", "Before the common era"),
            ("none", "Unknown"),
        ]

    def queryset(self, request, queryset):
        ranges = {"2000": (2000, 2100), "1900": (1900, 1999), "1800": (1800, 1899), "0": (0, 1799)}
        value = self.value()
        if value in ranges:
            low, high = ranges[value]
            return queryset.filter(publication_year__gte=low, publication_year__lte=high)
        if value == "bce":
            return queryset.filter(publication_year__lt=0)
        if value == "none":
            return queryset.filter(publication_year__isnull=True)
        return queryset


class GenreListFilter(admin.SimpleListFilter):
    title = "genre"
    parameter_name = "genre"

    def lookups(self, request, model_admin):
        return [(genre.slug, genre.name) for genre in selectors.genre_list()]

    def queryset(self, request, queryset):
        return queryset.filter(genres__slug=self.value()) if self.value() else queryset


class BookAdminForm(forms.ModelForm):
    # Wider than the stored ISBN-13 so "978-0-441-17271-9" or an ISBN-10 can be typed as printed; the
    # API's normaliser turns it into the ISBN-13 the column holds.
    isbn = forms.CharField(
        max_length=32,
        required=False,
        label="ISBN",
        help_text="ISBN-10 or ISBN-13, with or without hyphens or spaces; stored as the ISBN-13.",
    )

    class Meta:
        model = Book
        fields = [
            "title",
            "author",
            "isbn",
            "description",
            "cover_image_url",
            "publication_date",
            "publication_year",
            "language_code",
        ]

    def clean_isbn(self) -> str | None:
        raw = (self.cleaned_data.get("isbn") or "").strip()
        if not raw:
            return None
        try:
            return normalize_isbn(raw)
        except InvalidIsbn as exc:
            raise ValidationError(str(exc)) from exc


@admin.register(Book)
class BookAdmin(SafeFormsAdminMixin, admin.ModelAdmin):
    form = BookAdminForm
    list_display = ["title", "author", "publication_year", "isbn", "average_rating", "total_reviews"]
    list_filter = [GenreListFilter, CenturyListFilter, "language_code"]
    search_fields = ["title"]  # replaced by full-text search below
    search_help_text = (
        'Full-text search of title, author and description; or an ISBN. "Quotes" and -word work.'
    )
    inlines = [BookGenreInline]
    list_per_page = 50
    show_full_result_count = False
    ordering = ["title", "id"]
    fieldsets = [
        (None, {"fields": ["title", "author", "isbn", "description", "cover_image_url"]}),
        ("Publication", {"fields": ["publication_date", "publication_year", "language_code"]}),
        (
            "Ratings (maintained from reviews, read-only)",
            {"fields": ["average_rating", "total_reviews", "rating_histogram", "favorite_count"]},
        ),
        ("Source", {"fields": ["source_book_id", "created_at", "updated_at"]}),
    ]
    readonly_fields = [
        "favorite_count",
        "average_rating",
        "total_reviews",
        "rating_histogram",
        "source_book_id",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector", "author_vector")

    def get_fieldsets(self, request, obj=None):
        # A book being added has no ratings or timestamps yet: the database fills them in on save.
        return self.fieldsets if obj is not None else self.fieldsets[:2]

    def get_object(self, request, object_id, from_field=None):
        book = super().get_object(request, object_id, from_field)
        return book and annotate_favorite_count(Book.objects.filter(pk=book.pk)).get()

    @admin.display(description="Favorited by")
    def favorite_count(self, obj: Book) -> str:
        count = getattr(obj, "favorite_count", None)
        return "—" if count is None else f"{count} reader(s)"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return selectors.book_search(queryset, text=search_term), False

    @admin.display(description="Stars (1 → 5)")
    def rating_histogram(self, obj: Book) -> str:
        return " · ".join(f"{star}★ {count}" for star, count in obj.rating_histogram.items())


@admin.register(Genre)
class GenreAdmin(SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "book_count", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(book_count=Count("books"))

    @admin.display(description="books", ordering="book_count")
    def book_count(self, obj: Genre) -> int:
        return obj.book_count
