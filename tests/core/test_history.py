"""core/history.py: the admin's change history speaks the staff's language (labels, local times, Italian dates)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from core.history import readable_value
from labs.models import Meeting
from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_stored_values_become_what_staff_typed_and_read():
    starts_at = Meeting._meta.get_field("starts_at")
    assert (
        readable_value(starts_at, datetime.datetime(2026, 3, 10, 9, 15, tzinfo=datetime.UTC)) == "10 marzo 2026, 10:15"
    )
    assert (
        readable_value(starts_at, datetime.datetime(2026, 7, 10, 8, 15, tzinfo=datetime.UTC)) == "10 luglio 2026, 10:15"
    )
    assert readable_value(Project._meta.get_field("status"), "completed") == "concluso"
    assert readable_value(Project._meta.get_field("start_date"), datetime.date(2022, 3, 1)) == "1 marzo 2022"
    assert readable_value(Meeting._meta.get_field("cancelled"), True) == "sì"
    assert readable_value(Meeting._meta.get_field("venue"), None) == "—"


def test_the_history_page_lists_changes_with_labels_and_italian_values(admin_client):
    project = ProjectFactory(status=Project.Status.ONGOING, start_date=datetime.date(2022, 1, 1))
    project.status = Project.Status.COMPLETED
    project.start_date = datetime.date(2022, 3, 1)
    project.save()
    html = admin_client.get(reverse("admin:projects_project_history", args=[project.pk])).content.decode()
    assert "Cronologia delle modifiche:" in html
    changes = [
        " ".join(item.replace("&nbsp;", " ").split()) for item in re.findall(r"<li>\s*<strong>(.*?)</li>", html, re.S)
    ]
    assert sorted(changes) == [
        "Data di inizio:</strong> 1 gennaio 2022 &rarr; 1 marzo 2022",
        "Stato:</strong> in corso &rarr; concluso",
    ]
    assert "completed" not in html and "2022-03-01" not in html
    assert "Creazione" in html and "Modifica" in html


def test_a_meeting_moved_in_the_admin_shows_rome_times_in_its_history(admin_client):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(starts_at=datetime.datetime(2027, 3, 10, 9, 15, tzinfo=datetime.UTC), ends_at=None)
    meeting.starts_at = datetime.datetime(2027, 3, 10, 10, 15, tzinfo=datetime.UTC)
    meeting.save()
    html = admin_client.get(reverse("admin:labs_meeting_history", args=[meeting.pk])).content.decode()
    assert "10 marzo 2027, 10:15" in html and "10 marzo 2027, 11:15" in html
    assert "+00:00" not in html


def test_history_is_read_only_a_past_version_is_never_saved_back(admin_client):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(title="Primo incontro", capacity=30)
    first_version = meeting.history.earliest().history_id
    meeting.capacity = 10
    meeting.save()
    url = reverse("admin:labs_meeting_simple_history", args=[meeting.pk, first_version])

    page = admin_client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Versione: incontro" in body
    assert "Ripristina" not in body and "Revert" not in body

    response = admin_client.post(url, {"title": "Primo incontro", "capacity": "30", "_change_history": "1"})
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.capacity == 10


def test_history_list_has_an_italian_title_and_no_raw_none(admin_client):
    project = ProjectFactory(title="Progetto con storia")
    body = admin_client.get(reverse("admin:projects_project_history", args=[project.pk])).content.decode()
    assert "Cronologia delle modifiche: Progetto con storia" in body
    assert ">\n          None\n" not in body and "None" not in re.sub(r"<script.*?</script>", "", body, flags=re.S)
