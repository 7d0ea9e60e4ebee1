"""Curators create and edit collections here. Memberships have composite primary keys, which Django 5.2's
admin cannot register or inline, so books are chosen with autocomplete multi-selects on the collection and
on each group, and every change is saved through the services so the ordering invariants hold."""

import uuid

from django import forms
from django.contrib import admin

from catalog.models import Book
from collections_app import services
from collections_app.models import Collection, CollectionGroup, GroupBook
from collections_app.selectors import annotate_counts
from config.forms import SafeAutocompleteSelectMultiple, SafeFormsAdminMixin


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
    books = _book_picker("Books", "In order; new books go at the end (and into the collection).")
    # Not named `position`: the formset would then refuse two groups asking for the same place, which is
    # legitimate here since the services apply the moves one after another.
    place = forms.IntegerField(
        min_value=0,
        required=False,
        label="Position",
        help_text="0-based. Empty: at the end (new) or unchanged.",
    )

    class Meta:
        model = CollectionGroup
        fields = ["name", "description"]  # position is applied by the services, not saved by the form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["place"].initial = self.instance.position
            self.fields["books"].initial = list(
                self.instance.entries.order_by("position").values_list("book_id", flat=True)
            )


class GroupInline(SafeFormsAdminMixin, admin.TabularInline):
    model = CollectionGroup
    form = GroupInlineForm
    extra = 1
    ordering = ["position"]
    fields = ["name", "description", "place", "books"]


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
class CollectionAdmin(SafeFormsAdminMixin, admin.ModelAdmin):
    form = CollectionAdminForm
    inlines = [GroupInline]
    list_display = ["name", "created_by", "visibility", "group_count", "book_count", "created_at"]
    list_filter = ["visibility", HoldsBookFilter]
    search_fields = ["name", "created_by__email"]
    autocomplete_fields = ["created_by"]
    list_select_related = ["created_by"]
    show_full_result_count = False

    def get_queryset(self, request):
        return annotate_counts(super().get_queryset(request))

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
        for group_form in formset.forms:
            # An untouched row writes nothing. Its instance may still carry an id: the model's UUID default
            # fills one in for the page's empty extra row, so "has a pk" does not mean "exists".
            if not group_form.has_changed():
                continue
            data = group_form.cleaned_data
            group = group_form.instance
            exists = not group._state.adding
            if data.get("DELETE"):
                if exists:
                    services.group_delete(group=group)
                continue
            if exists:
                group = services.group_update(
                    group=CollectionGroup.objects.get(pk=group.pk),
                    name=data["name"],
                    description=data.get("description", ""),
                    position=data.get("place"),
                )
            else:
                group = services.group_create(
                    collection=collection,
                    name=data["name"],
                    description=data.get("description", ""),
                    position=data.get("place"),
                )
            services.group_set_books(group=group, books=list(data.get("books") or []))
