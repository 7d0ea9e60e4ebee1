"""The admin index: figures and a 30-day reviews chart, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.admin import CHART_DAYS, dashboard
from reviews import services as review_services
from reviews.models import Review
from stories.models import StoryStatus
from tests.accounts.factories import UserFactory
from tests.reviews.factories import ReviewFactory
from tests.stories.factories import StoryFactory

pytestmark = pytest.mark.django_db


def _queries(admin_client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/admin/").status_code == 200
    return len(queries)


def test_figures_and_chart_count_what_the_tables_hold():
    now = timezone.now()
    recent = ReviewFactory.create_batch(3)
    old = ReviewFactory(rating=2)
    Review.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=10))
    Review.objects.filter(pk=recent[0].pk).update(created_at=now - timedelta(days=CHART_DAYS + 3))
    review_services.reviews_hide(reviews=Review.objects.filter(pk=recent[1].pk), by=UserFactory(), reason="x")
    StoryFactory(status=StoryStatus.COMPLETE, completed_at=now)
    StoryFactory(status=StoryStatus.FAILED)
    UserFactory(is_active=False)

    figures = dashboard()
    assert figures["books"] == 4
    assert figures["readers"] == Review.objects.count() + 1 + 2  # reviewers, the moderator, story owners
    assert figures["reviews_week"] == 2
    assert figures["reviews_hidden"] == 1
    assert dict(figures["stories"])[StoryStatus.COMPLETE.label] == 1
    assert figures["stories_total"] == 2
    assert len(figures["chart"]) == CHART_DAYS
    assert figures["chart"][-1]["day"] == timezone.localdate()
    assert figures["chart_total"] == 3  # the review 33 days old is outside the chart
    assert figures["chart"][-1] == {"day": timezone.localdate(), "count": 2, "height": 100}


def test_the_index_costs_the_same_queries_with_more_data(admin_client):
    empty = _queries(admin_client)
    for days in range(12):
        review = ReviewFactory()
        Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=days))
        StoryFactory()
    assert _queries(admin_client) == empty
    page = admin_client.get("/admin/").content.decode()
    assert "Reviews per day, last 30 days (12)" in page
    assert page.count('<span style="height:') == CHART_DAYS


def _curator(*codenames: str):
    curator = UserFactory(is_staff=True)
    curator.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(curator).objects.get(pk=curator.pk)  # permissions are cached on the instance


def test_the_app_list_is_djangos_for_each_curators_permissions(rf):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    readers = _curator("view_book", "view_review")
    editor = _curator("view_book", "add_book", "change_book")
    for user in [superuser, readers, editor, superuser, readers]:  # served again from the built lists
        request = rf.get("/admin/")
        request.user = user
        assert admin.site.get_app_list(request) == admin.AdminSite.get_app_list(admin.site, request)
        assert admin.site.get_app_list(request, "catalog") == admin.AdminSite.get_app_list(
            admin.site, request, "catalog"
        )
    request.user = readers
    [catalog] = [app for app in admin.site.get_app_list(request) if app["app_label"] == "catalog"]
    assert [(model["object_name"], model["add_url"]) for model in catalog["models"]] == [("Book", None)]
