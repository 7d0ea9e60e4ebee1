import json

from django import forms
from django.contrib import admin, messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from core.admin_forms import SafeFormsAdminMixin, ServiceErrorsAdminMixin, ServiceWritesAdminMixin
from core.errors import ConflictError
from stories import services
from stories.api.ranges import ranged_file_response
from stories.media import story_audio_path
from stories.models import Repository, Story, StoryChapter, StoryIntent


def minutes_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class StoryChapterInline(admin.TabularInline):
    model = StoryChapter
    fields = ["chapter_number", "title", "starts_at", "lasts", "about", "play"]
    readonly_fields = ["chapter_number", "title", "starts_at", "lasts", "about", "play"]

    @admin.display(description="about (at the story's commit)")
    def about(self, chapter: StoryChapter) -> str:
        places = [
            f"{anchor['path']}:{anchor['start_line']}–{anchor['end_line']}"
            if "start_line" in anchor
            else anchor["path"]
            for anchor in chapter.anchors[:4]
        ]
        more = len(chapter.anchors) - len(places)
        return ", ".join(places) + (f" and {more} more" if more > 0 else "") if places else "—"

    @admin.display(description="play")
    def play(self, chapter: StoryChapter) -> str:
        return format_html(
            '<a href="#" class="story-seek" data-start="{}" title="Play from this chapter">▶ play</a>',
            chapter.start_time_seconds,
        )

    @admin.display(description="starts at")
    def starts_at(self, chapter: StoryChapter) -> str:
        return minutes_seconds(chapter.start_time_seconds)

    @admin.display(description="length")
    def lasts(self, chapter: StoryChapter) -> str:
        return minutes_seconds(chapter.duration_seconds)

    extra = 0
    can_delete = False
    ordering = ["chapter_number"]

    def has_add_permission(self, request, obj=None):
        return False


class StoryAdminForm(forms.ModelForm):
    title = forms.CharField(
        required=False,
        max_length=Story._meta.get_field("title").max_length,
        help_text="Empty: the project's own name, as the story finds it.",
    )

    class Meta:
        model = Story
        fields = ["user", "repository", "intent", "title", "narrative_style", "voice_id"]


@admin.register(Story)
class StoryAdmin(ServiceErrorsAdminMixin, SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "user", "repository", "narrative_style", "status", "created_at", "completed_at"]
    list_filter = ["status", "narrative_style"]
    search_fields = ["title", "user__email", "repository__repo_name"]
    list_select_related = ["user", "repository"]
    autocomplete_fields = ["user", "repository", "intent"]
    readonly_fields = [
        "status",
        "error_message",
        "player",
        "duration_seconds",
        "commit_sha",
        "since_commit_sha",
        "created_at",
        "completed_at",
        "status_changed_at",
    ]
    inlines = [StoryChapterInline]
    actions = ["retry"]
    show_full_result_count = False

    form = StoryAdminForm
    made_from = ["user", "repository", "intent", "narrative_style", "voice_id"]

    def get_fields(self, request, obj=None):
        # Adding asks only what the story is made from; the pipeline writes the rest.
        if obj is None:
            return [*self.made_from[:3], "title", *self.made_from[3:]]
        return [*self.made_from[:3], "title", *self.made_from[3:], "script_text", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        # Once generated, a story's reader, sources, voice and script are what it was made from.
        return [*self.made_from, "script_text", *self.readonly_fields] if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        # Through the service: the reader's monthly quota holds and the story is queued for generation.
        if change:
            services.story_rename(story=obj, title=obj.title)
            return
        story = services.story_create(
            user=obj.user,
            repository=obj.repository,
            intent=obj.intent,
            title=obj.title,
            narrative_style=obj.narrative_style,
            voice_id=obj.voice_id,
        )
        obj.pk, obj._state.adding = story.pk, False

    def get_urls(self):
        audio = path(
            "<uuid:story_id>/audio/", self.admin_site.admin_view(self.audio_view), name="stories_story_audio"
        )
        return [audio, *super().get_urls()]

    def audio_view(self, request, story_id):
        # Staff may play any story here; readers reach only their own through the API.
        if not self.has_view_permission(request):
            raise Http404
        audio = story_audio_path(story_id)
        if not audio.is_file():
            raise Http404
        return ranged_file_response(request, audio, "audio/wav")

    @admin.display(description="Audio")
    def player(self, story: Story) -> str:
        if not story.audio_url:
            return "No audio (the story is not complete, or no voice was installed)."
        source = reverse("admin:stories_story_audio", kwargs={"story_id": story.pk})
        chapters = list(story.chapters.order_by("chapter_number"))
        total = sum(chapter.duration_seconds for chapter in chapters) or 1
        # A timeline bar (each chapter as wide as it lasts) and the chapter list; both seek the player.
        timeline = format_html_join(
            "",
            '<a href="#" class="story-seek" data-start="{}" title="{} · {}" '
            'style="flex:{} 1 0;min-width:4px;background:{};height:14px"></a>',
            (
                (
                    chapter.start_time_seconds,
                    chapter.title,
                    minutes_seconds(chapter.start_time_seconds),
                    round(chapter.duration_seconds / total * 1000),
                    "#417690" if index % 2 else "#79aec8",
                )
                for index, chapter in enumerate(chapters)
            ),
        )
        listing = format_html_join(
            "",
            '<li><a href="#" class="story-seek" data-start="{}">{}</a> {} <span class="help">({})</span></li>',
            (
                (
                    chapter.start_time_seconds,
                    minutes_seconds(chapter.start_time_seconds),
                    chapter.title,
                    minutes_seconds(chapter.duration_seconds),
                )
                for chapter in chapters
            ),
        )
        return format_html(
            '<audio id="story-player" controls preload="metadata" src="{}" style="width:100%;max-width:640px">'
            "</audio>"
            '<div class="story-timeline" aria-label="Chapters" '
            'style="display:flex;gap:2px;max-width:640px;margin:6px 0">{}</div>'
            '<ol style="margin-top:.5em;padding-left:1.2em">{}</ol>'
            "<script>document.addEventListener('click', function (event) {{"
            "  var link = event.target.closest('.story-seek'); if (!link) return; event.preventDefault();"
            "  var player = document.getElementById('story-player');"
            "  player.currentTime = parseFloat(link.dataset.start); player.play();"
            "}});</script>",
            source,
            timeline,
            listing,
        )

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
class RepositoryAdmin(ServiceWritesAdminMixin, SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "user", "default_branch", "last_analyzed_at", "created_at"]
    search_fields = ["repo_name", "repo_owner", "repo_url", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["analysis", "last_analyzed_at", "created_at"]
    exclude = ["analysis_cache", "repo_owner", "repo_name"]  # read from the URL by the service

    def get_readonly_fields(self, request, obj=None):
        # A repository's URL is checked once, when it is added; another URL is another repository.
        return ["user", "repo_url", *self.readonly_fields] if obj is not None else self.readonly_fields

    service_fields = ("repo_url", "default_branch")

    def create_through_service(self, form, fields):
        return services.repository_create(user=form.instance.user, **fields)

    def update_through_service(self, obj, fields):
        if "default_branch" in fields:
            services.repository_update(repository=obj, default_branch=fields["default_branch"])

    def delete_through_service(self, obj):
        services.repository_delete(repository=obj)

    @admin.display(description="Cached analysis")
    def analysis(self, obj: Repository) -> str:
        return (
            format_html("<pre>{}</pre>", json.dumps(obj.analysis_cache, indent=2))
            if obj.analysis_cache
            else "—"
        )


@admin.register(StoryIntent)
class StoryIntentAdmin(ServiceWritesAdminMixin, SafeFormsAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "user", "intent_category", "expertise_level", "created_at"]
    list_filter = ["intent_category", "expertise_level"]
    search_fields = ["user__email", "repository__repo_name"]
    list_select_related = ["user", "repository"]
    autocomplete_fields = ["user", "repository"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "repository", *self.readonly_fields] if obj is not None else self.readonly_fields

    service_fields = services.INTENT_FIELDS

    def create_through_service(self, form, fields):
        return services.intent_create(user=form.instance.user, repository=form.instance.repository, **fields)

    def update_through_service(self, obj, fields):
        services.intent_update(intent=obj, **fields)

    def delete_through_service(self, obj):
        services.intent_delete(intent=obj)
