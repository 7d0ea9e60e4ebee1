from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from core.admin_forms import SafeFormsAdminMixin, ServiceErrorsAdminMixin, short_date, two_lines
from core.admin_lists import LIST_PER_PAGE, ListColumnsMixin
from core.admin_paginators import EstimatedCountPaginator
from reviews import selectors, services
from reviews.models import HIDDEN_REASON_MAX, LibraryImport, LibraryImportRow, Review, RowOutcome

# A rating's cell, written once for each of the five ratings rather than once a row.
_STARS = {
    rating: format_html('<span aria-label="{} of 5 stars">{}</span>', rating, "★" * rating)
    for rating in range(1, 6)
}


def _reason_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=HIDDEN_REASON_MAX,
        label="Reason",
        help_text=f"Shown to the review's author. Up to {HIDDEN_REASON_MAX} characters.",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class ReviewAdminForm(forms.ModelForm):
    hide = forms.BooleanField(
        required=False,
        label="Hidden by moderation",
        help_text="A hidden review leaves the book's public reviews and its ratings; its author still sees it.",
    )
    reason = _reason_field()

    class Meta:
        model = Review
        fields = ["user", "book", "rating", "review_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hide"].initial = self.instance.hidden_at is not None
        self.fields["reason"].initial = self.instance.hidden_reason

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hide") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Say why the review is hidden.")
        return cleaned


class HideReviewsForm(forms.Form):
    reason = _reason_field()

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why these reviews are hidden.")
        return reason


class VisibilityFilter(admin.SimpleListFilter):
    title = "moderation"
    parameter_name = "hidden"

    def lookups(self, request, model_admin):
        return [("no", "Visible"), ("yes", "Hidden")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(hidden_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(hidden_at__isnull=True)
        return queryset


@admin.register(Review)
class ReviewAdmin(ListColumnsMixin, ServiceErrorsAdminMixin, SafeFormsAdminMixin, admin.ModelAdmin):
    form = ReviewAdminForm
    list_display = ["review", "stars", "status", "created_on"]
    list_columns = ["rating", "created_at", "hidden_at", "hidden_reason", "book__title", "user__email"]
    list_display_links = ["review"]
    list_filter = [VisibilityFilter, "rating", "created_at"]
    search_fields = ["book__title", "user__email"]
    autocomplete_fields = ["user", "book"]
    list_select_related = ["book", "user"]
    readonly_fields = ["hidden_at", "hidden_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["user", "book", "rating", "review_text"]}),
        ("Moderation", {"fields": ["hide", "reason", "hidden_at", "hidden_by"]}),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]
    paginator = EstimatedCountPaginator
    list_per_page = LIST_PER_PAGE
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    actions = ["hide_reviews", "unhide_reviews"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("book__search_vector", "book__author_vector", "book__description")
        )

    def get_fieldsets(self, request, obj=None):
        # A review being added has no dates yet, and is hidden (if at all) from its own page afterwards.
        return self.fieldsets if obj is not None else self.fieldsets[:1]

    @admin.display(description="review", ordering="book__title")
    def review(self, obj: Review) -> str:
        return two_lines(obj.book.title, f"by {obj.user.email}")

    @admin.display(description="date", ordering="created_at")
    def created_on(self, obj: Review) -> str:
        return short_date(obj.created_at)

    @admin.display(description="rating", ordering="rating")
    def stars(self, obj: Review) -> str:
        return _STARS.get(obj.rating) or format_html(
            '<span aria-label="{} of 5 stars">{}</span>', obj.rating, "★" * obj.rating
        )

    @admin.display(description="moderation", ordering="hidden_at")
    def status(self, obj: Review) -> str:
        if obj.hidden_at is None:
            return "visible"
        return format_html('<strong title="{}">hidden</strong>', obj.hidden_reason)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        return (selectors.review_search(queryset, term=term) if term else queryset), False

    def save_model(self, request, obj, form, change):
        if change:
            services.review_update(review=obj, rating=obj.rating, review_text=obj.review_text)
        else:
            obj.pk = services.review_create(
                user=obj.user, book=obj.book, rating=obj.rating, review_text=obj.review_text
            ).pk
        hide, reason = form.cleaned_data.get("hide", False), form.cleaned_data.get("reason", "")
        if hide != (obj.hidden_at is not None) or (hide and reason.strip() != obj.hidden_reason):
            services.review_set_hidden(review=obj, by=request.user, hidden=hide, reason=reason)

    def delete_model(self, request, obj):
        services.review_delete(review=obj)

    @admin.action(description="Hide selected reviews (asks for a reason)", permissions=["change"])
    def hide_reviews(self, request, queryset):
        form = HideReviewsForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            hidden = services.reviews_hide(
                reviews=queryset, by=request.user, reason=form.cleaned_data["reason"]
            )
            self.message_user(request, f"{hidden} review(s) hidden.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Hide reviews",
            "opts": self.model._meta,
            "form": form,
            "reviews": queryset[:20],
            "more": request.POST.get("select_across") == "1",
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/reviews/review/hide_reviews.html", context)

    @admin.action(description="Unhide selected reviews", permissions=["change"])
    def unhide_reviews(self, request, queryset):
        shown = services.reviews_unhide(reviews=queryset)
        self.message_user(request, f"{shown} review(s) visible again.", messages.SUCCESS)


# --- library imports -------------------------------------------------------------------------------------------


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Imports are the reader's: curators look (why did a row not match?) but change nothing here; the
    reader resolves rows and undoes imports through the API."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting an import would leave what it applied without a way to undo it


class LibraryImportRowInline(admin.TabularInline):
    """The rows a curator most often needs: those no book matched, with why and the nearest books."""

    model = LibraryImportRow
    verbose_name_plural = "unmatched rows (the first 50; all rows are under “Library import rows”)"
    fields = readonly_fields = ("number", "row_title", "unmatched_reason", "nearest")
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        unmatched = super().get_queryset(request).filter(outcome=RowOutcome.UNMATCHED).order_by("number")
        first = unmatched.values_list("pk", flat=True)[:50]
        return LibraryImportRow.objects.filter(pk__in=list(first)).order_by("number")

    @admin.display(description="title and author")
    def row_title(self, row: LibraryImportRow) -> str:
        return two_lines(row.entry.get("title", ""), row.entry.get("author", ""))

    @admin.display(description="nearest books")
    def nearest(self, row: LibraryImportRow) -> str:
        return "; ".join(f"{c['title']} by {c['author']}" for c in row.candidates) or "—"


@admin.register(LibraryImport)
class LibraryImportAdmin(_ReadOnlyAdmin):
    list_display = ["import_file", "status", "progress", "matching", "changes"]
    list_display_links = ["import_file"]
    list_filter = ["status", "source", "created_at"]
    search_fields = ["user__email", "file_name"]
    search_help_text = "Part of a reader's email or of a file name."
    list_select_related = ["user"]
    list_per_page = LIST_PER_PAGE
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    inlines = [LibraryImportRowInline]
    fields = readonly_fields = (
        "user",
        "source",
        "file_name",
        "status",
        "error_message",
        "rows_total",
        "rows_done",
        "matched_count",
        "unmatched_count",
        "created_count",
        "updated_count",
        "unchanged_count",
        "all_rows",
        "attempts",
        "created_at",
        "finished_at",
        "undone_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("columns", "created_collection_ids")

    @admin.display(description="import", ordering="created_at")
    def import_file(self, obj: LibraryImport) -> str:
        return two_lines(
            obj.file_name or obj.get_source_display(), f"{obj.get_source_display()} · {obj.user.email}"
        )

    @admin.display(description="rows")
    def progress(self, obj: LibraryImport) -> str:
        return f"{obj.rows_done:,} / {obj.rows_total:,}"

    @admin.display(description="matched")
    def matching(self, obj: LibraryImport) -> str:
        return two_lines(f"{obj.matched_count:,}", f"{obj.unmatched_count:,} not")

    @admin.display(description="changes")
    def changes(self, obj: LibraryImport) -> str:
        return two_lines(
            f"{obj.created_count:,} new, {obj.updated_count:,} updated", f"{obj.unchanged_count:,} unchanged"
        )

    @admin.display(description="rows")
    def all_rows(self, obj: LibraryImport) -> str:
        url = reverse("admin:reviews_libraryimportrow_changelist")
        return format_html(
            '<a href="{}?library_import__id__exact={}">All {} rows</a> · '
            '<a href="{}?library_import__id__exact={}&amp;outcome__exact=unmatched">the {} unmatched</a>',
            url,
            obj.pk,
            obj.rows_total,
            url,
            obj.pk,
            obj.unmatched_count,
        )


@admin.register(LibraryImportRow)
class LibraryImportRowAdmin(_ReadOnlyAdmin):
    list_display = ["row_title", "result"]
    list_display_links = ["row_title"]
    list_filter = ["outcome", "match_method"]
    list_select_related = ["book"]
    list_per_page = LIST_PER_PAGE
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    ordering = ["library_import", "number"]
    fields = readonly_fields = (
        "library_import",
        "number",
        "outcome",
        "book",
        "match_method",
        "match_confidence",
        "unmatched_reason",
        "nearest",
        "notes",
        "entry",
        "cells",
    )

    def get_queryset(self, request):
        return (
            super().get_queryset(request).defer("undo", "cells", "book__search_vector", "book__description")
        )

    @admin.display(description="row", ordering="number")
    def row_title(self, row: LibraryImportRow) -> str:
        return two_lines(f"{row.number}. {row.entry.get('title', '')}", row.entry.get("author", ""))

    @admin.display(description="result", ordering="outcome")
    def result(self, row: LibraryImportRow) -> str:
        if row.book_id is None:
            return two_lines(row.get_outcome_display(), row.unmatched_reason)
        title = row.book.title if row.book else ""
        return two_lines(
            row.get_outcome_display(), f"{title} ({row.match_method}, {row.match_confidence or 0:.2f})"
        )

    @admin.display(description="nearest books")
    def nearest(self, row: LibraryImportRow) -> str:
        return "; ".join(f"{c['title']} by {c['author']}" for c in row.candidates) or "—"
