"""The "meeting changed" email lists what changed, old → new: date and time, venue with its address, format; in the
recipient's language. The values are those of the change the email announces (email_context.meeting_changes)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from labs.models import Meeting
from registrations import outbox, services
from registrations.models import OutboundEmail
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory, VenueFactory
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/segreto-123"


def _local(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2030, 3, day, hour, minute))


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="Primo incontro",
        lab=LabFactory(title="Lab Welfare"),
        starts_at=_local(5, 9, 30),
        ends_at=_local(5, 13, 30),
        venue=VenueFactory(),
    )
    RegistrationFactory(meeting=meeting, first_name="Anna", last_name="Verdi", email="anna@comune.bergamo.it")
    return meeting


def _save(client, meeting, django_capture_on_commit_callbacks, **changes):
    url = reverse("admin:labs_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url).content.decode(), "meeting_form", **changes)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    assert response.status_code == 200
    (email,) = mail.outbox
    return email


def test_a_move_in_the_change_form_says_old_and_new_date_and_time(
    admin_client, meeting, django_capture_on_commit_callbacks
):
    email = _save(
        admin_client, meeting, django_capture_on_commit_callbacks,
        starts_at_0="12/03/2030", starts_at_1="10:00", ends_at_0="12/03/2030", ends_at_1="12:00",
    )  # fmt: skip
    assert email.subject == "Cambiamento per l'incontro Primo incontro"
    assert "- Data e orario: 5 marzo 2030, 9:30–13:30 → 12 marzo 2030, 10:00–12:00\n" in email.body
    html = email.alternatives[0][0]
    assert (
        "<li><strong>Data e orario</strong>: 5 marzo 2030, 9:30–13:30 → <strong>12 marzo 2030, 10:00–12:00</strong></li>"
        in html
    )


def test_a_new_venue_is_named_with_its_address(admin_client, meeting, django_capture_on_commit_callbacks):
    new_venue = VenueFactory(slug="palazzo-lombardia", name="Palazzo Lombardia", address="Piazza Città di Lombardia 1")
    email = _save(admin_client, meeting, django_capture_on_commit_callbacks, venue=str(new_venue.pk))
    assert (
        "- Sede: La Casa dei Comuni, Via Rovello 2, Milano → Palazzo Lombardia, Piazza Città di Lombardia 1, Milano\n"
    ) in email.body


def test_a_new_format_is_named_and_the_link_goes_only_to_confirmed_online_attendees(
    admin_client, meeting, django_capture_on_commit_callbacks
):
    email = _save(admin_client, meeting, django_capture_on_commit_callbacks, format=Meeting.Format.ONLINE, venue="")
    assert "- Modalità: in presenza → online\n" in email.body
    assert "- Sede: La Casa dei Comuni, Via Rovello 2, Milano → nessuna sede\n" in email.body
    assert f"Link per partecipare online: {SECRET}" in email.body  # Anna is confirmed and now attends online


def test_the_email_says_the_change_it_announces_even_after_a_later_edit(meeting):
    services.meeting_update(meeting_id=meeting.pk, changes={"starts_at": _local(6, 9, 30), "ends_at": _local(6, 13)})
    first = OutboundEmail.objects.get(template="meeting_changed")
    services.meeting_update(meeting_id=meeting.pk, changes={"starts_at": _local(7, 9, 30), "ends_at": _local(7, 13)})
    _subject, text, _html, _attachments = outbox.render_row(first)
    assert "- Data e orario: 5 marzo 2030, 9:30–13:30 → 6 marzo 2030, 9:30–13:00\n" in text


def test_in_english(meeting):
    meeting.registrations.update(language="en")
    new_venue = VenueFactory(slug="palazzo-lombardia", name="Palazzo Lombardia", address="Piazza Città di Lombardia 1")
    services.meeting_update(
        meeting_id=meeting.pk,
        changes={"starts_at": _local(12, 10), "ends_at": _local(12, 12), "venue": new_venue, "format": "hybrid"},
    )
    _subject, text, _html, _attachments = outbox.render_row(OutboundEmail.objects.get(template="meeting_changed"))
    assert "- Date and time: 5 March 2030, 9:30–13:30 → 12 March 2030, 10:00–12:00\n" in text
    assert (
        "- Venue: La Casa dei Comuni, Via Rovello 2, Milano → Palazzo Lombardia, Piazza Città di Lombardia 1, Milano\n"
    ) in text
    assert "- Format: in person → in person and online\n" in text


def test_a_new_link_is_announced_without_being_written_in_the_list(meeting):
    services.meeting_update(meeting_id=meeting.pk, changes={"online_url": "https://meet.example.org/nuovo-456"})
    _subject, text, _html, _attachments = outbox.render_row(OutboundEmail.objects.get(template="meeting_changed"))
    assert "- Link per partecipare online: è cambiato\n" in text
    assert "nuovo-456" not in text  # Anna attends in person: the link is not hers


def test_a_cancellation_withdrawn_is_said(meeting):
    services.meeting_update(meeting_id=meeting.pk, changes={"cancelled": True}, cancel_registrations=False)
    services.meeting_update(meeting_id=meeting.pk, changes={"cancelled": False})
    _subject, text, _html, _attachments = outbox.render_row(OutboundEmail.objects.get(template="meeting_changed"))
    assert "- Annullamento: revocato: l'incontro si terrà\n" in text
