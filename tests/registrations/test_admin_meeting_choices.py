"""Meeting choices in the registrations admin (issue 16): labelled with date and lab; the "Sposta" list offers only
meetings still to come; the changelist shows the status second with short headers."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from labs.admin_forms import meeting_choice_label
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2030, 3, day, hour, 30))


def test_a_meeting_choice_names_date_lab_and_meeting():
    meeting = MeetingFactory(
        lab=LabFactory(title="Laboratorio sull'accoglienza dei minori stranieri non accompagnati"),
        title="Primo incontro",
        starts_at=_at(12),
    )
    assert meeting_choice_label(meeting) == (
        "12/03/2030 09:30 · Laboratorio sull'accoglienza dei minori… · Primo incontro"
    )


def test_the_move_list_offers_only_future_meetings_labelled(admin_client):
    lab = LabFactory(title="Lab Welfare")
    past = MeetingFactory(lab=lab, title="Passato", starts_at=timezone.now() - datetime.timedelta(days=3))
    cancelled = MeetingFactory(lab=lab, title="Annullato", cancelled=True)
    later = MeetingFactory(lab=lab, title="Dopo", starts_at=timezone.now() + datetime.timedelta(days=20))
    sooner = MeetingFactory(lab=lab, title="Prima", starts_at=timezone.now() + datetime.timedelta(days=10))
    registration = RegistrationFactory(meeting=sooner)
    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "move_selected", "_selected_action": [str(registration.pk)]},
    )
    form = response.context["form"]
    assert list(form.fields["meeting"].queryset) == [sooner, later]
    html = response.content.decode()
    assert f">{meeting_choice_label(sooner)}</option>" in html.replace("&#x27;", "'")
    assert past.title not in html and cancelled.title not in html


def test_the_meeting_filter_lists_meetings_by_date_and_lab(admin_client):
    meeting = MeetingFactory(lab=LabFactory(title="Lab Welfare"), title="Primo incontro", starts_at=_at(12))
    RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=MeetingFactory(starts_at=_at(19)))  # Django shows a filter with two choices or more
    html = admin_client.get(reverse("admin:registrations_registration_changelist")).content.decode()
    assert "12/03/2030 09:30 · Lab Welfare · Primo incontro" in html


def test_the_changelist_shows_the_status_second_with_short_headers(admin_client):
    RegistrationFactory(
        first_name="Anna",
        last_name="Verdi",
        meeting=MeetingFactory(lab=LabFactory(title="Lab Welfare"), starts_at=_at(12)),
    )
    response = admin_client.get(reverse("admin:registrations_registration_changelist"))
    headers = [str(h["text"]).lower() for h in response.context["result_headers"]]
    assert headers[1:] == ["persona", "stato", "partecipazione", "incontro", "ente", "email"]
    html = response.content.decode()
    assert ">Verdi Anna</a>" in html
    assert "12/03/2030 · Lab Welfare" in html
