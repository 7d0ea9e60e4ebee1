"""Curators create and edit collections here. Memberships have composite primary keys, which Django 5.2's
admin cannot register or inline, so books are chosen with autocomplete multi-selects on the collection and
on each group, and every change is saved through the services so the ordering invariants hold."""

import math
import uuid

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.safestring import mark_safe

from catalog.models import Book
from collections_app import services
from collections_app.models import Collection, CollectionGroup, GroupBook
from collections_app.selectors import annotate_counts
from collections_app.widgets import OrderedBooksField
from core.admin_forms import (
    SafeAutocompleteSelectMultiple,
    SafeFormsAdminMixin,
    ServiceErrorsAdminMixin,
    short_date,
    two_lines,
)
from core.admin_lists import LIST_PER_PAGE, ListColumnsMixin
from core.admin_paginators import EstimatedCountPaginator


def _book_picker(label: str, help_text: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Book.objects.all(),
        required=False,
        label=label,
        help_text=help_text,
        widget=SafeAutocompleteSelectMultiple(GroupBook._meta.get_field("book"), admin.site),
    )


class CollectionAdminForm(forms.ModelForm):
    books = _book_picker(
        "Books", "Every book in the collection. Removing one also removes it from its groups."
    )

    class Meta:
        model = Collection
        fields = ["name", "description", "created_by", "visibility"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["books"].initial = list(self.instance.memberships.values_list("book_id", flat=True))


class GroupInlineForm(forms.ModelForm):
    books = OrderedBooksField(
        required=False, label="Books", help_text="In this order; new books also join the collection."
    )
    # Written by the page's up/down buttons (hidden). Not named `position`: the formset would then refuse
    # two rows asking for the same place, which happens legitimately mid-rearrangement.
    place = forms.IntegerField(
        min_value=0, max_value=1_000_000, required=False, label="Position", widget=forms.HiddenInput
    )

    class Meta:
        model = CollectionGroup
        fields = ["name", "description"]  # position is applied by the services, not saved by the form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance._state.adding:
            self.fields["place"].initial = self.instance.position
            self.fields["books"].initial = list(
                self.instance.entries.order_by("position").values_list("book_id", flat=True)
            )


class GroupInline(SafeFormsAdminMixin, admin.TabularInline):
    model = CollectionGroup
    form = GroupInlineForm
    extra = 1
    ordering = ["position"]
    fields = ["move", "name", "description", "books", "place"]
    readonly_fields = ["move"]
    classes = ["group-orderable"]
    formfield_overrides = {  # type: ignore[misc]  # the mixin's, plus narrower widgets for a table row
        **SafeFormsAdminMixin.formfield_overrides,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 28})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 22})},
    }

    @admin.display(description="Order")
    def move(self, obj) -> str:
        return mark_safe(
            '<button type="button" class="group-move group-move-up" title="Move group up">↑</button>'
            '<button type="button" class="group-move group-move-down" title="Move group down">↓</button>'
        )


class HoldsBookFilter(admin.SimpleListFilter):
    """The collections holding one book, reached from the book's page (``?book=<id>``)."""

    title = "book"
    parameter_name = "book"

    def lookups(self, request, model_admin):
        book = self._book(request.GET.get(self.parameter_name))
        return [(str(book.pk), book.title)] if book else []

    def queryset(self, request, queryset):
        book = self._book(self.value())
        return queryset.filter(memberships__book=book) if book else queryset

    @staticmethod
    def _book(value: str | None) -> Book | None:
        try:
            return Book.objects.only("id", "title").filter(pk=uuid.UUID(value or "")).first()
        except ValueError:
            return None


@admin.register(Collection)
class CollectionAdmin(ListColumnsMixin, ServiceErrorsAdminMixin, SafeFormsAdminMixin, admin.ModelAdmin):
    form = CollectionAdminForm
    inlines = [GroupInline]
    list_display = ["collection", "visibility", "group_count", "book_count", "created_on"]
    list_columns = ["name", "visibility", "created_at", "created_by__email"]
    list_display_links = ["collection"]
    list_filter = ["visibility", HoldsBookFilter]
    search_fields = ["name", "created_by__email"]
    autocomplete_fields = ["created_by"]
    list_select_related = ["created_by"]
    paginator = EstimatedCountPaginator
    list_per_page = LIST_PER_PAGE
    show_full_result_count = False

    def get_queryset(self, request):
        return annotate_counts(super().get_queryset(request))

    @admin.display(description="collection", ordering="name")
    def collection(self, obj: Collection) -> str:
        return two_lines(obj.name, f"by {obj.created_by.email}" if obj.created_by else "site-curated")

    @admin.display(description="created", ordering="created_at")
    def created_on(self, obj: Collection) -> str:
        return short_date(obj.created_at)

    @admin.display(description="groups", ordering="group_count")
    def group_count(self, obj) -> int:
        return obj.group_count

    @admin.display(description="books", ordering="book_count")
    def book_count(self, obj) -> int:
        return obj.book_count

    def save_model(self, request, obj, form, change):
        if change:
            fields = {name: getattr(obj, name) for name in ("name", "description", "visibility")}
            obj.created_by = form.cleaned_data.get("created_by")
            obj.save(update_fields=["created_by"])
            services.collection_update(collection=obj, **fields)
        else:
            saved = services.collection_create(
                owner=obj.created_by, name=obj.name, description=obj.description, visibility=obj.visibility
            )
            obj.pk = saved.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        services.collection_set_books(collection=form.instance, books=list(form.cleaned_data["books"]))
        for formset in formsets:
            self._save_groups(form.instance, formset)

    def _save_groups(self, collection, formset) -> None:
        # The admin's change message reads these; the services, not formset.save(), did the writes.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        placed = []  # (asked position, kept its place, row number, group) for every group that stays
        for row, group_form in enumerate(formset.forms):
            data = group_form.cleaned_data
            group = group_form.instance
            # Its instance may carry an id even when new: the model's UUID default fills one in for the
            # page's empty extra row, so "has a pk" does not mean "exists".
            exists = not group._state.adding
            if not exists and not group_form.has_changed():
                continue  # the untouched extra row
            if data.get("DELETE"):
                if exists:
                    services.group_delete(group=group)
                continue
            if group_form.has_changed():
                try:
                    group = self._save_group(collection, group_form, exists)
                except ValidationError as error:
                    # Shown above the form (the page is rendered again, nothing saved): the group's
                    # fields are not the collection's.
                    name = data.get("name") or group.name
                    raise ValidationError([f"Group “{name}”: {text}" for text in error.messages]) from error
            # Where the row asked to be: its place (written by the page's up/down buttons, or typed); else
            # where it was, or the end for a new group. On a tie, a row that moved goes first.
            place = data.get("place")
            moved = "place" in group_form.changed_data and place is not None
            if place is None:
                place = group.position if exists else math.inf
            placed.append((place, not moved, row, group))
        placed.sort(key=lambda item: item[:3])
        services.group_reorder(collection=collection, groups=[item[-1] for item in placed])

    @staticmethod
    def _save_group(collection, group_form, exists: bool) -> CollectionGroup:
        data = group_form.cleaned_data
        fields = {"name": data["name"], "description": data.get("description", "")}
        if exists:
            group = services.group_update(group=group_form.instance, **fields)
        else:
            group = services.group_create(collection=collection, **fields)
        if "books" in group_form.changed_data:
            services.group_set_books(group=group, books=data.get("books") or [])
        return group
