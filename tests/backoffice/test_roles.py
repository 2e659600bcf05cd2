"""What each role sees and may do: Redazione (content), Segreteria iscrizioni (registrations), superuser (all)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import LabFactory, MeetingFactory, ProjectFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "labs_lab",
    "labs_meeting",
    "projects_project",
    "projects_service",
    "publications_publication",
    "publications_article",
    "registrations_registration",
    "registrations_outboundemail",
]
CHANGELISTS = {name: reverse(f"admin:{name}_changelist") for name in NAMES}


def _index_links(client) -> set[str]:
    body = client.get(reverse("admin:index")).content.decode()
    return {name for name, url in CHANGELISTS.items() if f'href="{url}"' in body}


def test_the_migration_created_both_groups_with_their_permissions():
    editorial = set(Group.objects.get(name="Redazione").permissions.values_list("codename", flat=True))
    desk = set(Group.objects.get(name="Segreteria iscrizioni").permissions.values_list("codename", flat=True))
    assert {"add_lab", "change_meeting", "delete_project", "view_service", "change_article", "add_publication"} <= (
        editorial
    )
    assert not {c for c in editorial if c.endswith("registration") or c.endswith("outboundemail")}
    assert desk == {
        "add_registration",
        "view_registration",
        "change_registration",
        "view_outboundemail",
        "view_lab",
        "view_meeting",
        "view_venue",
        "view_questionnaire",
    }


def test_editor_sees_content_but_no_registrations(editor_client):
    assert _index_links(editor_client) == {
        "labs_lab",
        "labs_meeting",
        "projects_project",
        "projects_service",
        "publications_publication",
        "publications_article",
    }
    assert editor_client.get(CHANGELISTS["registrations_registration"]).status_code == 403
    assert editor_client.get(reverse("admin:labs_lab_add")).status_code == 200
    assert editor_client.get(reverse("admin:projects_project_import")).status_code == 200
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_editor_cannot_run_registration_actions_nor_see_registrants(editor_client):
    registration = RegistrationFactory(last_name="Bianchi")
    meeting = registration.meeting
    changelist = editor_client.get(CHANGELISTS["labs_meeting"]).content.decode()
    assert 'value="export_registrants_csv"' not in changelist
    assert 'value="email_confirmed"' not in changelist
    change = editor_client.get(reverse("admin:labs_meeting_change", args=[meeting.pk])).content.decode()
    assert "Bianchi" not in change  # the read-only registrations inline needs registration permissions
    assert 'name="notify_registrants"' in change
    assert editor_client.get(reverse("admin:labs_meeting_attendance", args=[meeting.pk])).status_code == 403
    assert editor_client.get(reverse("admin:labs_lab_report", args=[meeting.lab.pk])).status_code == 403
    response = editor_client.post(
        CHANGELISTS["labs_meeting"], {"action": "export_registrants_csv", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302  # Django refuses an action the user may not run: back to the list
    assert "text/csv" not in response.get("Content-Type", "")


def test_secretary_sees_registrations_and_reads_labs_without_editing(secretary_client):
    lab = LabFactory()
    assert _index_links(secretary_client) == {
        "labs_lab",
        "labs_meeting",
        "registrations_registration",
        "registrations_outboundemail",
    } & set(CHANGELISTS)
    assert secretary_client.get(reverse("admin:labs_lab_add")).status_code == 403
    assert secretary_client.get(reverse("admin:projects_project_changelist")).status_code == 403
    assert secretary_client.get(reverse("admin:publications_article_changelist")).status_code == 403
    change = secretary_client.get(reverse("admin:labs_lab_change", args=[lab.pk]))
    assert change.status_code == 200
    assert 'name="title"' not in change.content.decode()  # view-only form
    post = secretary_client.post(reverse("admin:labs_lab_change", args=[lab.pk]), {"title": "Cambiato"})
    assert post.status_code == 403
    # "Aggiungi iscrizione": registration on behalf, through the service (issue 16; tests/registrations/test_checkin.py).
    assert secretary_client.get(reverse("admin:registrations_registration_add")).status_code == 200


def test_secretary_runs_registration_actions_on_meetings(secretary_client):
    meeting = MeetingFactory()
    changelist = secretary_client.get(CHANGELISTS["labs_meeting"]).content.decode()
    for action in ("export_registrants_csv", "export_registrants_xlsx", "email_confirmed", "mark_attendance"):
        assert f'value="{action}"' in changelist
    assert secretary_client.get(reverse("admin:labs_meeting_attendance", args=[meeting.pk])).status_code == 200
    assert secretary_client.get(reverse("admin:labs_lab_report", args=[meeting.lab.pk])).status_code == 200


def test_superuser_sees_everything(admin_client):
    ProjectFactory()
    assert _index_links(admin_client) == set(CHANGELISTS)
    for url in CHANGELISTS.values():
        assert admin_client.get(url).status_code == 200
    assert admin_client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:auth_group_changelist")).status_code == 200


def test_non_staff_user_cannot_enter_the_admin(client, django_user_model):
    user = django_user_model.objects.create_user("utente", "utente@example.it", "una-password-lunga-1")
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403
