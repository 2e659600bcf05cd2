"""A registrant's own calendar file (download and email attachment): the meeting's one calendar entry (same UID as
the public files) plus the private parts, offered only to people who hold a seat for a dated meeting."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from labs import calendar
from labs.models import Meeting
from registrations import notifications, outbox, services
from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory
from tests.support.ical import read_both

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
SECRET = "https://meet.example.org/segreto-123"
SUMMER = datetime.datetime(2031, 6, 10, 9, 30, tzinfo=ROME)
WINTER = datetime.datetime(2031, 1, 14, 9, 30, tzinfo=ROME)


def ics_url(registration: Registration) -> str:
    return reverse("registrations:ics", args=[registration.token])


def personal_file(client, registration: Registration) -> bytes:
    response = client.get(ics_url(registration))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="incontro.ics"'
    assert response["Cache-Control"] == "private, no-store"
    return response.content


def attachments_of(email: OutboundEmail) -> list[dict[str, str]]:
    """The calendar attachments as the worker makes them when it sends the row (the confirmed email also carries
    the check-in QR code, tests/registrations/test_checkin.py)."""
    return [a for a in outbox.render_row(email)[3] if a["mimetype"] != "image/png"]


def the_event(content: bytes):
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_the_online_link_is_in_the_file_only_once_confirmed(client, register):
    meeting = MeetingFactory(
        title="Primo incontro", lab=LabFactory(title="Welfare"), format=Meeting.Format.ONLINE, venue=None
    )
    registration = register(meeting).registration
    assert registration.status == Registration.Status.PENDING
    pending = personal_file(client, registration)
    assert b"segreto" not in pending.replace(b"\r\n ", b"")
    assert str(the_event(pending)["LOCATION"]) == "Online (il link arriva agli iscritti via email)"

    services.registration_confirm(registration_id=registration.pk)
    event = the_event(personal_file(client, registration))
    assert str(event["URL"]) == SECRET
    assert str(event["LOCATION"]) == SECRET
    manage = f"http://127.0.0.1:8000{reverse('registrations:manage', args=[registration.token])}"
    assert str(event["DESCRIPTION"]) == (
        f"Link per partecipare online: {SECRET}\n\n"
        f"Dettagli e iscrizione: http://127.0.0.1:8000{meeting.get_absolute_url()}\n\n"
        f"La tua iscrizione: {manage}"
    )
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["SUMMARY"]) == "Welfare: Primo incontro"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@ancilab.it"


def test_a_hybrid_file_gives_the_online_attendee_the_link_and_not_the_room(client):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID)
    registration = RegistrationFactory(meeting=meeting, attendance_mode=Meeting.Mode.ONLINE)
    event = the_event(personal_file(client, registration))
    assert str(event["LOCATION"]) == SECRET
    assert str(event["URL"]) == SECRET
    assert str(event["DESCRIPTION"]).startswith(f"Link per partecipare online: {SECRET}\n\n")


def test_a_hybrid_file_gives_the_in_person_attendee_the_room_and_access_notes_never_the_link(client):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID)
    meeting.venue.access_notes = "Ingresso da via Rovello, secondo piano."
    meeting.venue.save()
    registration = RegistrationFactory(meeting=meeting, attendance_mode=Meeting.Mode.IN_PERSON)
    content = personal_file(client, registration)
    event = the_event(content)
    assert str(event["LOCATION"]) == "La Casa dei Comuni, Via Rovello 2, Milano"
    assert str(event["DESCRIPTION"]).startswith("Come arrivare: Ingresso da via Rovello, secondo piano.\n\n")
    assert str(event["URL"]) == f"http://127.0.0.1:8000{meeting.get_absolute_url()}"
    assert b"segreto" not in content.replace(b"\r\n ", b"")


def test_an_in_person_meeting_never_gives_the_link(client):
    registration = RegistrationFactory(meeting=MeetingFactory(format=Meeting.Format.IN_PERSON))
    content = personal_file(client, registration).replace(b"\r\n ", b"")
    assert b"segreto" not in content
    assert str(the_event(content)["LOCATION"]) == "La Casa dei Comuni, Via Rovello 2, Milano"


@pytest.mark.parametrize("start", [SUMMER, WINTER], ids=["summer", "winter"])
def test_the_file_and_the_attachment_read_9_30_in_both_libraries(client, register, start):
    meeting = MeetingFactory(requires_confirmation=False, starts_at=start, ends_at=start + datetime.timedelta(hours=4))
    registration = register(meeting).registration
    (attachment,) = attachments_of(OutboundEmail.objects.get(template="confirmed"))
    expected = start.strftime("%Y-%m-%d 09:30")
    for content in (personal_file(client, registration), attachment["content"].encode()):
        (event,) = read_both(content)
        assert (event["start_icalendar"], event["start_vobject"]) == (expected, expected)
        assert event["end_vobject"] == start.strftime("%Y-%m-%d 13:30")


def test_one_uid_for_the_meeting_in_all_five_files(client, register):
    lab = LabFactory(slug="welfare")
    meeting = MeetingFactory(lab=lab, requires_confirmation=False, starts_at=SUMMER, format=Meeting.Format.HYBRID)
    MeetingFactory(lab=lab, starts_at=WINTER)  # another event in the lab and global files
    registration = register(meeting, attendance_mode="online").registration
    (attachment,) = attachments_of(OutboundEmail.objects.get(template="confirmed"))
    files = {
        "meeting": client.get(reverse("labs:meeting_ics", args=[meeting.pk])).content,
        "lab": client.get(reverse("labs:lab_ics", args=["welfare"])).content,
        "global": client.get(reverse("labs:calendar")).content,
        "personal": personal_file(client, registration),
        "attachment": attachment["content"].encode(),
    }
    uids = {}
    for name, content in files.items():
        events = [e for e in read_both(content) if e["start_icalendar"] == "2031-06-10 09:30"]
        uids[name] = tuple((e["uid"], e["sequence"], e["status"]) for e in events)
    assert uids == dict.fromkeys(files, ((f"meeting-{meeting.pk}@ancilab.it", 0, "CONFIRMED"),))
    # The attachment is the download, byte for byte (same builder, same stamp).
    assert files["attachment"] == files["personal"]


def test_two_downloads_are_identical_and_stamped_with_the_last_change(client, register):
    meeting = MeetingFactory(format=Meeting.Format.ONLINE, venue=None)
    registration = register(meeting).registration
    first = personal_file(client, registration)
    assert personal_file(client, registration) == first
    with freeze_time(timezone.now() + datetime.timedelta(minutes=5)):  # DTSTAMP counts whole seconds
        services.registration_confirm(registration_id=registration.pk)
    registration.refresh_from_db()
    confirmed = personal_file(client, registration)
    # Confirming adds the link: the file is a newer revision of the same event.
    assert the_event(confirmed).decoded("DTSTAMP") > the_event(first).decoded("DTSTAMP")
    last_change = max(meeting.updated_at, registration.updated_at).astimezone(datetime.UTC).replace(microsecond=0)
    assert the_event(confirmed).decoded("DTSTAMP") == last_change


def test_a_moved_then_cancelled_meeting_shows_in_the_file_with_a_higher_sequence(client):
    registration = RegistrationFactory(meeting=MeetingFactory(starts_at=SUMMER))
    meeting = Meeting.objects.get(pk=registration.meeting_id)
    meeting.starts_at = SUMMER + datetime.timedelta(hours=1)
    meeting.ends_at = SUMMER + datetime.timedelta(hours=5)
    meeting.save()
    (event,) = read_both(personal_file(client, registration))
    assert (event["sequence"], event["status"], event["start_vobject"]) == (1, "CONFIRMED", "2031-06-10 10:30")
    meeting.cancelled = True
    meeting.save()
    (event,) = read_both(personal_file(client, registration))
    assert (event["sequence"], event["status"]) == (2, "CANCELLED")
    assert event["summary"].startswith("Annullato – ")


def test_a_sample_date_is_tentative_in_the_personal_file_too(client):
    registration = RegistrationFactory(meeting=MeetingFactory(is_sample=True, title="Primo", lab=LabFactory(title="L")))
    (event,) = read_both(personal_file(client, registration))
    assert (event["status"], event["summary"]) == ("TENTATIVE", "L: Primo (data di esempio)")


@pytest.mark.parametrize(
    "status",
    [Registration.Status.WAITLISTED, Registration.Status.CANCELLED, Registration.Status.EXPIRED],
)
def test_people_without_a_seat_are_offered_no_file(client, status):
    registration = RegistrationFactory(status=status)
    page = client.get(reverse("registrations:manage", args=[registration.token])).content.decode()
    assert ics_url(registration) not in page
    assert "Aggiungi al calendario" not in page
    assert client.get(ics_url(registration)).status_code == 404


@pytest.mark.parametrize("status", [Registration.Status.PENDING, Registration.Status.CONFIRMED])
def test_people_holding_a_seat_are_offered_the_file(client, status):
    registration = RegistrationFactory(status=status)
    page = client.get(reverse("registrations:manage", args=[registration.token])).content.decode()
    assert f'href="{ics_url(registration)}"' in page


def test_a_meeting_whose_date_was_removed_has_no_file_link_or_attachment(client):
    registration = RegistrationFactory(meeting=MeetingFactory(starts_at=SUMMER))
    Meeting.objects.filter(pk=registration.meeting_id).update(starts_at=None, ends_at=None)
    page = client.get(reverse("registrations:manage", args=[registration.token])).content.decode()
    assert ics_url(registration) not in page
    assert client.get(ics_url(registration)).status_code == 404
    email = notifications.notify_status(registration)
    assert email.attachments == [{"kind": "registration_ics"}]
    assert attachments_of(email) == []


def test_the_attachment_follows_the_status_when_the_email_is_sent(register):
    """The row asks for the file; the worker makes it from the registration as it is then (a person moved back to
    the waiting list in between gets no file)."""
    meeting = MeetingFactory(requires_confirmation=False, starts_at=SUMMER)
    registration = register(meeting).registration
    email = OutboundEmail.objects.get(template="confirmed")
    assert [a["filename"] for a in attachments_of(email)] == ["incontro.ics"]
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.WAITLISTED)
    assert attachments_of(email) == []


def test_the_uid_does_not_follow_the_site_address(client, settings):
    registration = RegistrationFactory(meeting=MeetingFactory(starts_at=SUMMER))
    settings.SITE_URL = "https://ancilab.example.org"
    event = the_event(personal_file(client, registration))
    assert (
        str(event["UID"])
        == calendar.meeting_uid(registration.meeting)
        == f"meeting-{registration.meeting_id}@ancilab.it"
    )
    assert str(event["URL"]).startswith("https://ancilab.example.org/")


def test_an_english_registrant_gets_the_attachment_in_english_with_the_same_uid(register):
    meeting = MeetingFactory(
        requires_confirmation=False,
        title="Primo incontro",
        title_en="First meeting",
        lab=LabFactory(title="Welfare", title_en="Welfare EN"),
        format=Meeting.Format.ONLINE,
        venue=None,
    )
    register(meeting, language="en")
    (attachment,) = attachments_of(OutboundEmail.objects.get(template="confirmed"))
    event = the_event(attachment["content"].encode())
    assert (str(event["UID"]), str(event["SUMMARY"])) == (
        f"meeting-{meeting.pk}@ancilab.it",
        "Welfare EN: First meeting",
    )
    assert str(event["DESCRIPTION"]).startswith(f"Link to join online: {SECRET}\n\n")
    assert "\n\nYour registration: http://127.0.0.1:8000/en/iscrizioni/" in str(event["DESCRIPTION"])
