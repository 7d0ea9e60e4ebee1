from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts import services
from accounts.clients import client_ident
from accounts.models import KNOWN_THEMES, ApiKey, ApiKeyScope, User, UserPreferences
from accounts.validators import COMMUNICATION_CHANNELS, timezone_names
from core.admin_forms import SafeFormsAdminMixin, ServiceWritesAdminMixin
from core.admin_lists import LIST_PER_PAGE, ListColumnsMixin
from core.admin_paginators import EstimatedCountPaginator


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in under the same lock-out as the API's (``services.login_attempt``)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": "Too many failed sign-in attempts. Try again in %(minutes)s minute(s).",
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = services.login_attempt(
                    request=self.request,
                    email=email,
                    password=password,
                    client_ident=client_ident(self.request),
                )
            except services.LoginLocked as exc:
                raise forms.ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"minutes": max(1, -(-exc.retry_after // 60))},
                ) from exc
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


admin.site.login_form = LockoutAdminAuthenticationForm


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserPreferencesForm(forms.ModelForm):
    """Preferences as fields a person fills in; the JSON the API exchanges is assembled from them and
    checked by the same validators as the API's."""

    hours_start = forms.TimeField(
        required=False, label="Custom hours from", widget=forms.TimeInput(attrs={"type": "time"})
    )
    hours_end = forms.TimeField(required=False, label="to", widget=forms.TimeInput(attrs={"type": "time"}))
    hours_timezone = forms.ChoiceField(required=False, label="in time zone")
    theme = forms.ChoiceField(label="Theme")
    channels = forms.MultipleChoiceField(
        choices=[(channel, channel.replace("_", "-")) for channel in COMMUNICATION_CHANNELS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Contact by",
    )

    class Meta:
        model = UserPreferences
        fields = ["theme", "onboarding_completed", "extra"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = dict.fromkeys([*KNOWN_THEMES, self.instance.theme or KNOWN_THEMES[0]])
        self.fields["theme"].choices = [(theme, theme.replace("-", " ").capitalize()) for theme in themes]
        self.fields["theme"].initial = self.instance.theme or KNOWN_THEMES[0]
        self.fields["hours_timezone"].choices = [
            ("", "—"),
            *((name, name) for name in sorted(timezone_names())),
        ]
        hours = self.instance.custom_hours or {}
        self.fields["hours_start"].initial = hours.get("start")
        self.fields["hours_end"].initial = hours.get("end")
        self.fields["hours_timezone"].initial = hours.get("timezone", "")
        chosen = self.instance.communication_preferences or {}
        self.fields["channels"].initial = [channel for channel, on in chosen.items() if on]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("hours_start"), cleaned.get("hours_end")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both ends of the custom hours, or neither.")
        hours = None
        if start is not None:
            hours = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
            if cleaned.get("hours_timezone"):
                hours["timezone"] = cleaned["hours_timezone"]
        self.instance.custom_hours = hours
        self.instance.communication_preferences = {
            channel: channel in cleaned.get("channels", []) for channel in COMMUNICATION_CHANNELS
        }
        return cleaned


class UserPreferencesInline(SafeFormsAdminMixin, admin.StackedInline):
    model = UserPreferences
    form = UserPreferencesForm
    fields = [
        "theme",
        ("hours_start", "hours_end", "hours_timezone"),
        "channels",
        "onboarding_completed",
        "extra",
    ]
    can_delete = False
    extra = 0
    max_num = 1


# What a key's row and page show (the secret is never stored, so never shown).
KEY_SUMMARY = ("name", "prefix", "permissions", "rate_limit", "is_active", "last_used_at", "expires_at")


class ApiKeyInline(admin.TabularInline):
    """Keys are shown, never their hash or secret; revoke them from the API keys list."""

    model = ApiKey
    extra = 0
    can_delete = False
    fields = KEY_SUMMARY
    readonly_fields = KEY_SUMMARY
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # a key's secret can only be shown to its owner, at creation, through the API


@admin.register(User)
class UserAdmin(ServiceWritesAdminMixin, SafeFormsAdminMixin, DjangoUserAdmin):
    add_form = UserAddForm
    form = UserEditForm
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "subscription_tier",
        "is_active",
        "is_staff",
        "created_at",
    ]
    list_filter = ["subscription_tier", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name", "external_auth_id"]
    readonly_fields = ["created_at", "updated_at", "last_login"]
    paginator = EstimatedCountPaginator
    list_per_page = LIST_PER_PAGE
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["first_name", "last_name", "timezone"]}),
        ("Subscription", {"fields": ["subscription_tier", "usage_quota"]}),
        ("Identity provider", {"fields": ["external_auth_id"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]}),
    ]

    service_fields = services.STAFF_EDITABLE_FIELDS

    def create_through_service(self, form, fields):
        usable = form.cleaned_data.get("set_usable_password", True)
        return services.user_create(
            email=fields["email"], password=form.cleaned_data.get("password1") if usable else None
        )

    def update_through_service(self, obj, fields):
        services.user_staff_update(user=obj, **fields)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "subscription_tier" in form.changed_data and "usage_quota" not in form.changed_data:
            quota = "unlimited" if obj.usage_quota is None else f"{obj.usage_quota} a month"
            self.message_user(request, f"Story quota set to the {obj.subscription_tier} tier's: {quota}.")

    def save_formset(self, request, form, formset, change):
        if formset.model is not UserPreferences:
            return super().save_formset(request, form, formset, change)
        # Preferences through their service (the same validators as the API's), not formset.save().
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if row.has_changed():
                preferences = row.instance  # the form has set the JSON it assembled on it
                services.user_preferences_update(
                    preferences=preferences,
                    **{name: getattr(preferences, name) for name in services.PREFERENCE_FIELDS},
                )
                formset.changed_objects.append((preferences, row.changed_data))
        return None

    def get_inlines(self, request, obj):
        # Preferences are created by the database with the user, so they are only edited afterwards.
        return [] if obj is None else [UserPreferencesInline, ApiKeyInline]


class ApiKeyAdminForm(forms.ModelForm):
    permissions = forms.TypedMultipleChoiceField(
        choices=ApiKeyScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Scopes",
        help_text="What the key may change; any key may read. catalog:write only for staff accounts.",
    )

    class Meta:
        model = ApiKey
        fields = sorted(services.API_KEY_EDITABLE_FIELDS)


@admin.register(ApiKey)
class ApiKeyAdmin(ListColumnsMixin, ServiceWritesAdminMixin, SafeFormsAdminMixin, admin.ModelAdmin):
    form = ApiKeyAdminForm
    list_display = [
        "name",
        "prefix",
        "user",
        "permissions",
        "rate_limit",
        "is_active",
        "last_used_at",
        "expires_at",
    ]
    list_columns = [  # as list_display, a key's reader by their email
        "name",
        "prefix",
        "user__email",
        "permissions",
        "rate_limit",
        "is_active",
        "last_used_at",
        "expires_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["prefix", "name", "user__email"]
    list_select_related = ["user"]
    fields = ["user", *KEY_SUMMARY, "created_at"]
    readonly_fields = ["user", "prefix", "last_used_at", "created_at"]
    actions = ["revoke"]
    paginator = EstimatedCountPaginator
    list_per_page = LIST_PER_PAGE
    show_full_result_count = False

    service_fields = services.API_KEY_EDITABLE_FIELDS

    def update_through_service(self, obj, fields):
        services.api_key_update(api_key=obj, **fields)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke selected API keys")
    def revoke(self, request, queryset):
        for api_key in queryset:
            services.api_key_revoke(api_key=api_key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)
