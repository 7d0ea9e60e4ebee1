"""A reader's favorites on their page in the admin, contributed by this app to the accounts app's user
admin (accounts knows nothing of favorites). Favorites have a composite primary key, which Django 5.2's
admin cannot inline: they are listed as checkboxes, and ticking one removes it through the service."""

from django import forms
from django.contrib import admin

from accounts.admin import UserAdmin, UserEditForm
from accounts.models import User
from catalog.models import Book
from favorites.selectors import favorite_books
from favorites.services import favorite_remove


class UserWithFavoritesForm(UserEditForm):
    remove_favorites = forms.ModelMultipleChoiceField(
        queryset=Book.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Favorites",
        help_text="Newest first. Tick a book and save to remove it from this reader's favorites.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            books = Book.objects.only("id", "title", "author")
            self.fields["remove_favorites"].queryset = favorite_books(user=self.instance, books=books)


class UserWithFavoritesAdmin(UserAdmin):
    form = UserWithFavoritesForm
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Favorites", {"classes": ["collapse"], "fields": ["remove_favorites"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for book in form.cleaned_data.get("remove_favorites") or []:
            favorite_remove(user=obj, book_id=book.pk)


admin.site.unregister(User)
admin.site.register(User, UserWithFavoritesAdmin)
