import json

from django.contrib import admin, messages
from django.utils.html import format_html

from config.errors import ConflictError
from config.forms import SafeFormsAdminMixin
from stories import services
from stories.models import Repository, Story, StoryChapter, StoryIntent


class StoryChapterInline(admin.TabularInline):
    model = StoryChapter
    fields = ["chapter_number", "title", "start_time_seconds", "duration_seconds", "audio_url"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["chapter_number"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "user", "repository", "narrative_style", "status", "created_at", "completed_at"]
    list_filter = ["status", "narrative_style"]
    search_fields = ["title", "user__email", "repository__repo_name"]
    list_select_related = ["user", "repository"]
    autocomplete_fields = ["user", "repository", "intent"]
    readonly_fields = [
        "status",
        "error_message",
        "audio_url",
        "duration_seconds",
        "created_at",
        "completed_at",
        "status_changed_at",
    ]
    inlines = [StoryChapterInline]
    actions = ["retry"]
    show_full_result_count = False

    @admin.action(description="Retry selected failed stories")
    def retry(self, request, queryset):
        retried = 0
        for story in queryset:
            try:
                services.story_retry(story=story)
                retried += 1
            except ConflictError as exc:
                self.message_user(request, f"{story}: {exc}", messages.WARNING)
        self.message_user(request, f"Retried {retried} story(ies).", messages.SUCCESS)


@admin.register(Repository)
class RepositoryAdmin(SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "user", "default_branch", "last_analyzed_at", "created_at"]
    search_fields = ["repo_name", "repo_owner", "repo_url", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["analysis", "last_analyzed_at", "created_at"]
    exclude = ["analysis_cache"]

    @admin.display(description="Cached analysis")
    def analysis(self, obj: Repository) -> str:
        return (
            format_html("<pre>{}</pre>", json.dumps(obj.analysis_cache, indent=2))
            if obj.analysis_cache
            else "—"
        )


@admin.register(StoryIntent)
class StoryIntentAdmin(SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "user", "intent_category", "expertise_level", "created_at"]
    list_filter = ["intent_category", "expertise_level"]
    search_fields = ["user__email", "repository__repo_name"]
    list_select_related = ["user", "repository"]
    autocomplete_fields = ["user", "repository"]
