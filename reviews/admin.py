from django.contrib import admin

from config.forms import SafeFormsAdminMixin
from config.paginators import EstimatedCountPaginator
from reviews import services
from reviews.models import Review


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

    def save_model(self, request, obj, form, change):
        if change:
            services.review_update(review=obj, rating=obj.rating, review_text=obj.review_text)
        else:
            obj.pk = services.review_create(
                user=obj.user, book=obj.book, rating=obj.rating, review_text=obj.review_text
            ).pk

    def delete_model(self, request, obj):
        services.review_delete(review=obj)
