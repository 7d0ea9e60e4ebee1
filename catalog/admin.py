from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from catalog import selectors, services
from catalog.isbn import InvalidIsbn, normalize_isbn
from catalog.models import Book, BookGenre, Genre
from catalog.services import BOOK_WRITABLE_FIELDS
from core.admin_forms import SafeFormsAdminMixin, ServiceWritesAdminMixin, two_lines
from core.admin_lists import LIST_PER_PAGE, IndexedValuesListFilter, ListColumnsMixin
from core.admin_paginators import EstimatedCountPaginator


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
        return selectors.genre_choices()

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
        fields = sorted(BOOK_WRITABLE_FIELDS)  # what the API may write, no more

    def clean_isbn(self) -> str | None:
        raw = (self.cleaned_data.get("isbn") or "").strip()
        if not raw:
            return None
        try:
            return normalize_isbn(raw)
        except InvalidIsbn as exc:
            raise ValidationError(str(exc)) from exc


def _cover(book: Book, *, height: int) -> str:
    if not book.cover_image_url:
        return ""
    return format_html(
        '<img src="{}" alt="Cover of {}" loading="lazy" style="height:{}px;width:auto;border-radius:2px">',
        book.cover_image_url,
        book.title,
        height,
    )


@admin.register(Book)
class BookAdmin(ListColumnsMixin, ServiceWritesAdminMixin, SafeFormsAdminMixin, admin.ModelAdmin):
    form = BookAdminForm
    list_display = ["cover_thumbnail", "book", "year", "isbn", "rating"]
    list_columns = [
        "title",
        "author",
        "cover_image_url",
        "publication_year",
        "isbn",
        "average_rating",
        "total_reviews",
    ]
    list_display_links = ["book"]
    list_filter = [GenreListFilter, CenturyListFilter, ("language_code", IndexedValuesListFilter)]
    search_fields = ["title"]  # replaced by full-text search below
    search_help_text = (
        'Full-text search of title, author and description; or an ISBN. "Quotes" and -word work.'
    )
    inlines = [BookGenreInline]
    paginator = EstimatedCountPaginator
    list_per_page = LIST_PER_PAGE
    show_full_result_count = False
    ordering = ["title", "id"]
    fieldsets = [
        (None, {"fields": ["title", "author", "isbn", "description", "cover_image_url", "cover"]}),
        ("Publication", {"fields": ["publication_date", "publication_year", "language_code"]}),
        (
            "Ratings (maintained from reviews, read-only)",
            {
                "fields": [
                    "average",
                    "total_reviews",
                    "rating_histogram",
                    "favorite_count",
                    "related_links",
                ]
            },
        ),
        ("Source", {"fields": ["source_book_id", "created_at", "updated_at"]}),
    ]
    readonly_fields = [
        "cover",
        "related_links",
        "favorite_count",
        "average",
        "total_reviews",
        "rating_histogram",
        "source_book_id",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector", "author_vector")

    @staticmethod
    def autocomplete_label(book: Book) -> str:
        return f"{book.title} — {book.author}"

    def get_fieldsets(self, request, obj=None):
        # A book being added has no ratings or timestamps yet: the database fills them in on save.
        return self.fieldsets if obj is not None else self.fieldsets[:2]

    def get_object(self, request, object_id, from_field=None):
        book = super().get_object(request, object_id, from_field)
        return book and selectors.book_with_favorite_count(pk=book.pk)

    @admin.display(description="Favorited by")
    def favorite_count(self, obj: Book) -> str:
        count = getattr(obj, "favorite_count", None)
        return "—" if count is None else f"{count} reader(s)"

    service_fields = BOOK_WRITABLE_FIELDS

    def create_through_service(self, form, fields):
        return services.book_create(**fields)

    def update_through_service(self, obj, fields):
        services.book_update(book=obj, **fields)

    def delete_through_service(self, obj):
        services.book_delete(book=obj)

    def save_related(self, request, form, formsets, change):
        # The genre rows are read from the inline and set by the service, not saved by the formset.
        for formset in formsets:
            if formset.model is BookGenre:
                chosen = [
                    row.cleaned_data["genre"]
                    for row in formset.forms
                    if row.cleaned_data.get("genre") and not row.cleaned_data.get("DELETE")
                ]
                services.book_set_genres(book=form.instance, genres=chosen)
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return selectors.book_search(queryset, text=search_term), False

    @admin.display(description="Stars")
    def rating_histogram(self, obj: Book) -> str:
        counts = obj.rating_histogram
        widest = max(counts.values()) or 1
        rows = format_html_join(
            "",
            '<div style="display:flex;align-items:center;gap:.5em;margin:2px 0">'
            '<span style="width:2.5em">{}★</span>'
            '<span style="display:inline-block;height:.9em;width:{}px;background:#79aec8;border-radius:2px"></span>'
            "<span>{}</span></div>",
            ((star, round(200 * count / widest), f"{count:,}") for star, count in reversed(counts.items())),
        )
        return format_html('<div aria-label="Ratings by star">{}</div>', rows)

    @admin.display(description="book", ordering="title")
    def book(self, obj: Book) -> str:
        return two_lines(obj.title, obj.author or "—")

    @admin.display(description="year", ordering="publication_year")
    def year(self, obj: Book) -> str:
        return "—" if obj.publication_year is None else str(obj.publication_year)

    @admin.display(description="rating", ordering="weighted_rating")
    def rating(self, obj: Book) -> str:
        if not obj.total_reviews:
            return "—"
        return format_html(
            "{} ★ <span class='help'>({} reviews)</span>", obj.average_rating, obj.total_reviews
        )

    @admin.display(description="Average rating")
    def average(self, obj: Book) -> str:
        return f"{obj.average_rating} ★" if obj.total_reviews else "—"

    @admin.display(description="Cover")
    def cover_thumbnail(self, obj: Book) -> str:
        return _cover(obj, height=48)

    @admin.display(description="Cover")
    def cover(self, obj: Book) -> str:
        return _cover(obj, height=240) or "—"

    @admin.display(description="Elsewhere in the admin")
    def related_links(self, obj: Book) -> str:
        links = [
            ("reviews", reverse("admin:reviews_review_changelist"), f"book__id__exact={obj.pk}"),
            (
                "collections",
                reverse("admin:collections_app_collection_changelist"),
                f"memberships__book={obj.pk}",
            ),
        ]
        return format_html_join(
            " · ", '<a href="{}?{}">{}</a>', ((url, query, name) for name, url, query in links)
        )


@admin.register(Genre)
class GenreAdmin(ServiceWritesAdminMixin, SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "book_count", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(book_count=Count("books"))

    service_fields = ("name", "slug", "description")

    def create_through_service(self, form, fields):
        return services.genre_create(**fields)

    def update_through_service(self, obj, fields):
        services.genre_update(genre=obj, **fields)

    def delete_through_service(self, obj):
        services.genre_delete(genre=obj)

    @admin.display(description="books", ordering="book_count")
    def book_count(self, obj: Genre) -> int:
        return obj.book_count  # type: ignore[attr-defined]  # annotated by get_queryset
