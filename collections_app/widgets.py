"""An ordered book picker for the admin: the books listed in their order, each with up, down and remove
buttons, and an autocomplete box that appends the book picked. A select2 multi-select cannot do this: it
submits its options in document order and re-renders the saved ones in the database's order, so the order
a curator picks or arranges books in would be lost."""

import uuid

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from catalog.models import Book
from collections_app.models import GroupBook
from core.admin_forms import SafeAutocompleteSelect


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


class OrderedBooksWidget(forms.SelectMultiple):
    template_name = "collections_app/ordered_books_widget.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        # Only a search box: its own value is never read (it is named "<field>__search").
        search = forms.ModelChoiceField(
            queryset=Book.objects.none(),
            required=False,
            widget=SafeAutocompleteSelect(GroupBook._meta.get_field("book"), admin.site),
        )
        self.search = search.widget

    @property
    def media(self):
        # One list, so the merge keeps the script after jQuery and select2 (it binds to django.jQuery).
        return forms.Media(
            js=[*self.search.media._js, "collections_app/ordered_books.js"],
            css={"screen": [*self.search.media._css["screen"], "collections_app/ordered_books.css"]},
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = [pk for pk in (_as_uuid(item) for item in value or []) if pk is not None]
        found = Book.objects.only("id", "title", "author").in_bulk(ids)
        context["widget"]["books"] = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
        search_attrs = {"id": f"{attrs.get('id', name)}__search", "class": "ordered-books-search"}
        context["widget"]["search"] = self.search.render(f"{name}__search", None, search_attrs)
        return context

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty list is "no books", not "field left out"


class OrderedBooksField(forms.ModelMultipleChoiceField):
    """The books in the order they were submitted (duplicates dropped), as a list."""

    widget = OrderedBooksWidget

    def __init__(self, **kwargs):
        super().__init__(queryset=Book.objects.only("id", "title", "author"), **kwargs)

    def clean(self, value):
        books = super().clean(value)
        by_pk = {book.pk: book for book in books}
        order = dict.fromkeys(_as_uuid(item) for item in value or [])
        missing = [pk for pk in order if pk not in by_pk]
        if missing:  # cannot happen after super().clean(), which names any unknown id
            raise ValidationError("Select valid books.")
        return [by_pk[pk] for pk in order]

    def has_changed(self, initial, data):
        initial = [str(_as_uuid(item)) for item in initial or []]
        return initial != [str(_as_uuid(item)) for item in data or []]
