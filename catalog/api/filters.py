import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F
from drf_spectacular.utils import extend_schema_field

from catalog.models import Book
from catalog.selectors import book_filter_by_author, book_search

ORDERINGS = {
    # By the weighted (Bayesian) average, so a single 5★ review does not lead (see Book.weighted_rating).
    "-average_rating": ("-weighted_rating", "id"),
    "-total_reviews": ("-total_reviews", "id"),
    "title": ("title", "id"),
    # Nulls last, as books_pub_year_idx stores them: an undated book is not the newest.
    "-publication_year": (F("publication_year").desc(nulls_last=True), "id"),
}


YEAR_MIN, YEAR_MAX = -5000, 2100
SEARCH_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 100


@extend_schema_field({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX})
class YearFilter(django_filters.NumberFilter):
    """Years are whole numbers: ``1e3`` or ``2001.5`` are refused rather than rounded."""

    field_class = forms.IntegerField


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 5})
class RatingFilter(django_filters.NumberFilter):
    pass


@extend_schema_field({"type": "string", "maxLength": SEARCH_MAX_LENGTH})
class TextFilter(django_filters.CharFilter):
    pass


@extend_schema_field({"type": "string", "maxLength": SLUG_MAX_LENGTH})
class SlugFilter(django_filters.CharFilter):
    pass


YEAR_RANGE = [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]


class BookFilterForm(forms.Form):
    # A number or a choice given as an empty string is a mistake to report, not a filter to skip.
    NOT_TEXT = ("year_min", "year_max", "rating_min", "ordering")

    def clean(self):
        cleaned = super().clean()
        for name in self.NOT_TEXT:
            if name in self.data and self.data.get(name) == "":
                self.add_error(name, "Give a value, or leave the parameter out.")
        return cleaned


class BookFilter(django_filters.FilterSet):
    search = TextFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text='Web-search syntax: "exact phrase", -exclude, or.',
    )
    genre = SlugFilter(field_name="genres__slug", max_length=SLUG_MAX_LENGTH, help_text="Genre slug.")
    author = TextFilter(
        method="filter_author", max_length=SEARCH_MAX_LENGTH, help_text="Words of an author's name."
    )
    year_min = YearFilter(field_name="publication_year", lookup_expr="gte", validators=YEAR_RANGE)
    year_max = YearFilter(field_name="publication_year", lookup_expr="lte", validators=YEAR_RANGE)
    rating_min = RatingFilter(
        field_name="average_rating",
        lookup_expr="gte",
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(key, key) for key in ORDERINGS],
        help_text="Default: relevance when searching, else title. `-average_rating` orders by an average "
        "weighted towards 3★ by ten imaginary reviews, so one 5★ review does not lead.",
    )

    class Meta:
        model = Book
        form = BookFilterForm
        fields = ["search", "genre", "author", "year_min", "year_max", "rating_min", "ordering"]

    def filter_search(self, queryset, name, value):
        return book_search(queryset, text=value)

    def filter_author(self, queryset, name, value):
        return book_filter_by_author(queryset, author=value)

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("ordering") and not self.form.cleaned_data.get("search"):
            queryset = queryset.order_by("title", "id")
        return queryset
