import pytest
from django.contrib import admin

from accounts.models import User
from core.admin_lists import FastChangelistMixin
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("email", ["reader@example.org", "a<b>&\"c'@example.org"])
def test_the_action_checkbox_is_the_html_django_renders(email):
    review = ReviewFactory(user=User.objects.create_user(email=email, password="x" * 12))
    for obj in (review.user, review):
        model_admin = admin.site._registry[type(obj)]
        assert isinstance(model_admin, FastChangelistMixin)
        assert model_admin.action_checkbox(obj) == admin.ModelAdmin.action_checkbox(model_admin, obj)


def test_every_folio_admin_renders_its_changelist_rows_fast():
    folio = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"accounts", "catalog", "reviews", "collections_app", "stories"}
    ]
    assert folio and all(isinstance(model_admin, FastChangelistMixin) for model_admin in folio)
