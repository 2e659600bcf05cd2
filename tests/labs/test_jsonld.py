"""schema.org Event data of a meeting (labs/jsonld.py), as rendered on the meeting page."""

from __future__ import annotations

import datetime
import io
import json
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from labs.jsonld import availability, meeting_event_jsonld
from registrations.models import Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ROME = zoneinfo.ZoneInfo("Europe/Rome")
SITE = "https://laboratori.example.it"
ORGANIZER = {
    "@type": "Organization",
    "name": "AnciLab – ANCI Lombardia",
    "url": "https://laboratori.example.it/",
    "logo": "https://laboratori.example.it/static/img/icon-512.png",
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _event(client, meeting) -> dict:
    html = client.get(meeting.get_absolute_url()).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_event_of_an_open_meeting(client):
    lab = LabFactory(title="Beni culturali", subtitle="Valorizzare il patrimonio", organizer="Qualcun altro")
    opens = datetime.datetime(2030, 9, 1, 9, 0, tzinfo=ROME)
    meeting = MeetingFactory(
        lab=lab,
        title="Primo",
        agenda="Saluti.\nIl patrimonio dei Comuni.",
        starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME),
        ends_at=datetime.datetime(2030, 11, 3, 13, 30, tzinfo=ROME),
        registration_opens_at=opens,
        capacity=10,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime.datetime(2030, 10, 1, tzinfo=datetime.UTC))
        event = _event(client, meeting)
    assert event == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Beni culturali: Primo",
        "description": "Saluti. Il patrimonio dei Comuni.",
        "image": ["https://laboratori.example.it/static/img/og-default.png"],
        "startDate": "2030-11-03T09:30:00+01:00",
        "endDate": "2030-11-03T13:30:00+01:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": "La Casa dei Comuni",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": "Via Rovello 2",
                "addressLocality": "Milano",
                "addressCountry": "IT",
            },
        },
        "organizer": ORGANIZER,
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": f"https://laboratori.example.it/incontri/{meeting.pk}/",
            "availability": "https://schema.org/InStock",
            "validFrom": "2030-09-01T09:00:00+02:00",
            "validThrough": "2030-11-03T09:30:00+01:00",
        },
        "url": f"https://laboratori.example.it/incontri/{meeting.pk}/",
    }


def test_summer_dates_carry_the_summer_offset_and_the_lab_cover_is_the_image():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20)).save(buffer, format="PNG")
    lab = LabFactory(cover_image=SimpleUploadedFile("beni.png", buffer.getvalue()), cover_alt="Una piazza")
    meeting = MeetingFactory(lab=lab, starts_at=datetime.datetime(2030, 6, 3, 9, 30, tzinfo=ROME), ends_at=None)
    event = meeting_event_jsonld(meeting)
    assert event["startDate"] == "2030-06-03T09:30:00+02:00"
    assert "endDate" not in event
    assert event["image"] == ["https://laboratori.example.it/media/labs/beni.png"]
    # No opening date: registration has been open since the meeting was published.
    assert event["offers"]["validFrom"] == timezone.localtime(meeting.created_at).replace(microsecond=0).isoformat()


def test_the_organizer_is_the_same_on_every_event():
    first = MeetingFactory(lab=LabFactory(organizer="ANCI Lombardia"))
    second = MeetingFactory(lab=LabFactory(organizer="AnciLab / ANCI Lombardia"))
    assert meeting_event_jsonld(first)["organizer"] == meeting_event_jsonld(second)["organizer"] == ORGANIZER


def test_availability_follows_the_registration_window_and_the_seats():
    now = timezone.now()
    future = now + datetime.timedelta(days=30)
    assert availability(MeetingFactory(starts_at=future, capacity=None)) == "https://schema.org/InStock"
    not_yet = MeetingFactory(starts_at=future, registration_opens_at=now + datetime.timedelta(days=2))
    assert availability(not_yet) == "https://schema.org/PreOrder"
    closed = MeetingFactory(starts_at=future, registration_closes_at=now - datetime.timedelta(hours=1))
    assert availability(closed) == "https://schema.org/SoldOut"
    full = MeetingFactory(starts_at=future, capacity=1)
    RegistrationFactory(meeting=full)
    assert availability(full) == "https://schema.org/SoldOut"
    freed = MeetingFactory(starts_at=future, capacity=1)
    RegistrationFactory(meeting=freed, status=Registration.Status.CANCELLED)  # holds no seat
    assert availability(freed) == "https://schema.org/InStock"
    past = MeetingFactory(starts_at=now - datetime.timedelta(days=1))
    assert availability(past) == "https://schema.org/SoldOut"


def test_cancelled_meeting_is_an_event_cancelled_and_sold_out():
    meeting = MeetingFactory(cancelled=True)
    event = meeting_event_jsonld(meeting)
    assert event["eventStatus"] == "https://schema.org/EventCancelled"
    assert event["offers"]["availability"] == "https://schema.org/SoldOut"


def test_online_meeting_points_at_the_public_page_never_the_private_link(settings):
    meeting = MeetingFactory(format="online", venue=None, online_url="https://meet.example.org/segreto-123")
    event = meeting_event_jsonld(meeting)
    assert event["location"] == {"@type": "VirtualLocation", "url": f"{SITE}/incontri/{meeting.pk}/"}
    assert "segreto" not in json.dumps(event)
