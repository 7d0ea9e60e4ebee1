"""Folio's admin site: Django's, with figures and a 30-day reviews chart on its index page."""

import functools
from datetime import datetime, time, timedelta

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db import connection
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import User
from catalog.models import Book
from core.admin_page import ChangelistPage
from reviews import selectors as review_selectors
from reviews.models import Review
from stories import selectors as story_selectors
from stories.models import StoryStatus

CHART_DAYS = 30


def _counts(week_ago) -> dict:
    """The scalar figures as one statement of sub-selects (each an index or a small table's count)."""
    figures = {
        "books": (f"SELECT count(*) FROM {Book._meta.db_table}", []),
        "readers": (f"SELECT count(*) FROM {User._meta.db_table} WHERE is_active", []),
        "reviews_week": (f"SELECT count(*) FROM {Review._meta.db_table} WHERE created_at >= %s", [week_ago]),
        "reviews_hidden": (f"SELECT count(*) FROM {Review._meta.db_table} WHERE hidden_at IS NOT NULL", []),
    }
    select = ", ".join(f"({sql}) AS {name}" for name, (sql, _) in figures.items())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}", [param for _, params in figures.values() for param in params])
        return dict(zip(figures, cursor.fetchone(), strict=True))


def dashboard() -> dict:
    """The index page's figures in three queries, whatever the size of the tables: one row of counts,
    one GROUP BY for the chart's days (an index range on ``reviews.created_at``), one for story statuses."""
    today = timezone.localdate()
    first_day = today - timedelta(days=CHART_DAYS - 1)
    since = timezone.make_aware(datetime.combine(first_day, time.min))
    week_ago = timezone.now() - timedelta(days=7)
    counts = _counts(week_ago)
    per_day = review_selectors.reviews_per_day(since=since)
    days = [first_day + timedelta(days=offset) for offset in range(CHART_DAYS)]
    widest = max(per_day.values(), default=0) or 1
    chart = [
        {"day": day, "count": per_day.get(day, 0), "height": round(100 * per_day.get(day, 0) / widest)}
        for day in days
    ]
    statuses = story_selectors.story_status_counts()
    return {
        **counts,
        "stories": [(label, statuses.get(value, 0)) for value, label in StoryStatus.choices],
        "stories_total": sum(statuses.values()),
        "chart": chart,
        "chart_total": sum(point["count"] for point in chart),
    }


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete answers labelled by the model admin's ``autocomplete_label`` when it has one (a book
    as "title — author", since titles repeat), else by ``str()``."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class FolioAdminSite(admin.AdminSite):
    site_header = "Folio administration"
    site_title = "Folio administration"
    index_title = "Catalog, readers and stories"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict[tuple, list[dict]] = {}

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        # What the curator may do with each model is the request's to answer; the list built from the
        # answers (names, and some forty reversed URLs that cost more than a page of rows) is the same for
        # every request answering the same, so it is built once per process for each set of answers.
        key = (
            get_script_prefix(),
            get_urlconf(),
            get_language(),
            app_label,
            self._permissions(request, app_label),
        )
        try:
            return self._app_lists[key]
        except KeyError:
            app_list = super().get_app_list(request, app_label)
        if len(self._app_lists) < 1_000:  # a handful of distinct sets of permissions in practice
            self._app_lists[key] = app_list
        return app_list

    def _permissions(self, request, app_label) -> tuple:
        return tuple(
            (model, tuple(model_admin.get_model_perms(request).items()))
            for model, model_admin in self._registry.items()
            if (app_label is None or model._meta.app_label == app_label)
            and model_admin.has_module_permission(request)
        )

    def admin_view(self, view, cacheable=False):
        view = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def written_in_python(request, *args, **kwargs):
            # A changelist page is written by core.admin_page where it is the page Django's templates
            # would write (the same HTML, tested); any other page renders its templates.
            response = view(request, *args, **kwargs)
            if isinstance(response, TemplateResponse) and not response.is_rendered:
                page = ChangelistPage.for_response(response)
                if page is not None:
                    response.template_name = page  # type: ignore[assignment]
            return response

        return written_in_python

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "dashboard": dashboard()})
