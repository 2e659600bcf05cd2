"""Public iCalendar files: Rome local times with TZID, summary and location, never the online link."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from labs.models import Meeting
from tests.factories import LabFactory, MeetingFactory

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def _unfolded(response) -> str:
    return response.content.decode().replace("\r\n ", "")


def test_meeting_ics_fields(client):
    lab = LabFactory(title="Beni culturali")
    meeting = MeetingFactory(
        lab=lab,
        title="Primo incontro",
        starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME),
        ends_at=datetime.datetime(2030, 11, 3, 13, 30, tzinfo=ROME),
        format=Meeting.Format.HYBRID,
    )
    response = client.get(reverse("labs:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="incontro-{meeting.pk}.ics"'
    text = _unfolded(response)
    assert "DTSTART;TZID=Europe/Rome:20301103T093000" in text
    assert "DTEND;TZID=Europe/Rome:20301103T133000" in text
    assert "SUMMARY:Beni culturali: Primo incontro" in text
    assert (
        "LOCATION:La Casa dei Comuni\\, Via Rovello 2\\, Milano – Online (il link arriva agli iscritti via email)"
        in text
    )
    assert f"UID:meeting-{meeting.pk}@ancilab.it" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Rome" in text
    assert "segreto" not in text


def test_lab_ics_has_every_dated_meeting(client):
    lab = LabFactory(title="Beni culturali", slug="beni")
    MeetingFactory(lab=lab, title="Uno", starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME))
    MeetingFactory(lab=lab, title="Due", starts_at=datetime.datetime(2030, 12, 1, 14, 0, tzinfo=ROME))
    MeetingFactory(lab=lab, title="Da fissare", starts_at=None, ends_at=None)
    calendar = Calendar.from_ical(client.get(reverse("labs:lab_ics", args=["beni"])).content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Beni culturali: Uno", "Beni culturali: Due"]
    assert events[1].decoded("DTSTART") == datetime.datetime(2030, 12, 1, 14, 0, tzinfo=ROME)
    assert str(calendar["X-WR-CALNAME"]) == "Beni culturali"


def test_upcoming_calendar_lists_only_future_public_meetings(client):
    MeetingFactory(title="Futuro", starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME))
    MeetingFactory(title="Passato", starts_at=datetime.datetime(2020, 11, 3, 9, 30, tzinfo=ROME))
    MeetingFactory(title="Annullato", starts_at=datetime.datetime(2030, 11, 4, 9, 30, tzinfo=ROME), cancelled=True)
    MeetingFactory(
        title="Nascosto", lab=LabFactory(published=False), starts_at=datetime.datetime(2030, 11, 5, tzinfo=ROME)
    )
    calendar = Calendar.from_ical(client.get(reverse("labs:calendar")).content)
    assert [str(e["SUMMARY"]).split(": ")[1] for e in calendar.walk("VEVENT")] == ["Futuro"]


def test_online_meeting_ics_location_without_link(client):
    meeting = MeetingFactory(format=Meeting.Format.ONLINE, venue=None)
    text = _unfolded(client.get(reverse("labs:meeting_ics", args=[meeting.pk])))
    assert "LOCATION:Online (il link arriva agli iscritti via email)" in text
    assert "meet.example.org" not in text


def test_ics_of_unpublished_lab_is_404(client):
    meeting = MeetingFactory(lab=LabFactory(published=False, slug="nascosto"))
    assert client.get(reverse("labs:meeting_ics", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("labs:lab_ics", args=["nascosto"])).status_code == 404
