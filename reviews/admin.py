from django.contrib import admin
from django.db.models import Q

from accounts.models import User
from catalog.models import Book
from config.forms import SafeFormsAdminMixin
from config.paginators import EstimatedCountPaginator
from reviews import services
from reviews.models import Review

SEARCH_MAX_IDS = 500


@admin.register(Review)
class ReviewAdmin(SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["book", "user", "rating", "created_at"]
    list_filter = ["rating", "created_at"]
    search_fields = ["book__title", "user__email"]
    autocomplete_fields = ["user", "book"]
    list_select_related = ["book", "user"]
    readonly_fields = ["created_at", "updated_at"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("book__search_vector", "book__author_vector")

    def get_search_results(self, request, queryset, search_term):
        # Find the matching books and users first (small tables), then their reviews. A narrow term gives
        # a few ids, which the (book, …) and (user, …) indexes turn into a handful of rows; a broad one
        # matches so many reviews that walking newest-first and testing each row fills a page at once.
        # Django's default would join all the reviews to books and users to test every one.
        term = search_term.strip()
        if not term:
            return queryset, False
        books = Book.objects.filter(title__icontains=term).values_list("pk", flat=True)
        users = User.objects.filter(email__icontains=term).values_list("pk", flat=True)
        book_ids = list(books[: SEARCH_MAX_IDS + 1])
        user_ids = list(users[: SEARCH_MAX_IDS + 1])
        if len(book_ids) > SEARCH_MAX_IDS or len(user_ids) > SEARCH_MAX_IDS:
            return queryset.filter(Q(book__in=books) | Q(user__in=users)), False
        return queryset.filter(Q(book__in=book_ids) | Q(user__in=user_ids)), False

    def save_model(self, request, obj, form, change):
        if change:
            services.review_update(review=obj, rating=obj.rating, review_text=obj.review_text)
        else:
            obj.pk = services.review_create(
                user=obj.user, book=obj.book, rating=obj.rating, review_text=obj.review_text
            ).pk

    def delete_model(self, request, obj):
        services.review_delete(review=obj)
