"""Every admin changelist, add form and change form renders for a superuser, on the demo content."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"labs", "projects", "publications", "registrations"}
MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in PORTAL_APPS
)


@pytest.fixture
def demo_admin(admin_client):
    call_command("load_demo", stdout=StringIO())
    RegistrationFactory()
    return admin_client


def test_every_portal_model_is_registered():
    assert {app for app, _ in MODELS} == PORTAL_APPS
    assert len(MODELS) >= 11


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_changelist_add_and_change_render(demo_admin, app_label, model_name):
    changelist = demo_admin.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert changelist.status_code == 200
    add = demo_admin.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code in {200, 403}  # some models are not addable by hand (e.g. outbox rows)
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app_label, model_name))
    obj = model._default_manager.first()
    if obj is not None:
        change = demo_admin.get(reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]))
        assert change.status_code == 200
        assert escape(str(obj)) in change.content.decode()


def test_changelist_search_finds_a_project(demo_admin):
    response = demo_admin.get(reverse("admin:projects_project_changelist"), {"q": "Lab'Impact"})
    assert response.status_code == 200
    assert "FAMI Lab&#x27;Impact - Supporto alle progettualità e alle reti locali" in response.content.decode()


def test_the_lab_change_form_shows_its_meetings_inline(demo_admin):
    from labs.models import Lab

    lab = Lab.objects.get(slug="lab-impact-coprogrammazione-welfare")
    body = demo_admin.get(reverse("admin:labs_lab_change", args=[lab.pk])).content.decode()
    assert body.count('name="meetings-') >= 5 * 3
    assert "Incontri" in body
