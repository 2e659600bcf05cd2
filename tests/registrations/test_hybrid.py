"""Hybrid meetings end to end (HTTP + emails + database): the person chooses in presenza or online, each mode has its
own seats and waiting list, the mode can be switched from the manage page, and only online attendees get the link."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from documents.documents import signin_registrations
from labs.models import Meeting
from registrations import services
from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory, VenueFactory

from .conftest import person

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/segreto-123"
NOTES = "Ingresso da via Rovello, secondo piano, sala Consiglio."
FIELDSET = '<legend class="h6 fw-semibold">Come partecipi? <span aria-hidden="true">*</span></legend>'


def form(n: int = 1, **overrides) -> dict:
    data = person(n, **overrides)
    data["privacy"] = "on"
    return {key: value for key, value in data.items() if value is not False}


@pytest.fixture
def hybrid():
    venue = VenueFactory(access_notes=NOTES)
    return MeetingFactory(
        title="Incontro ibrido",
        format=Meeting.Format.HYBRID,
        venue=venue,
        capacity=1,
        online_capacity=None,
        requires_confirmation=False,
    )


def register_by_form(client, meeting, n=1, **fields):
    return client.post(reverse("registrations:register", args=[meeting.pk]), form(n, **fields), follow=True)


def sent_to(email: str) -> list:
    return [message for message in mail.outbox if message.to == [email]]


def event_of(message) -> icalendar.Event:
    (attachment,) = [a for a in message.attachments if a[0] == "incontro.ics"]
    return next(iter(icalendar.Calendar.from_ical(attachment[1]).walk("VEVENT")))


def test_the_form_asks_the_mode_only_for_a_hybrid_meeting(client, hybrid):
    html = client.get(reverse("registrations:register", args=[hybrid.pk])).content.decode()
    assert FIELDSET in html
    assert (
        'type="radio" class="form-check-input" id="id_attendance_mode_0" name="attendance_mode" value="in_person"'
        in (html)
    )
    assert '<label class="form-check-label" for="id_attendance_mode_1">Online</label>' in html
    assert "<strong>In presenza</strong>: resta 1 posto" in html
    assert "<strong>Online</strong>: posti disponibili" in html
    single = MeetingFactory()
    assert "attendance_mode" not in client.get(reverse("registrations:register", args=[single.pk])).content.decode()


def test_a_hybrid_registration_without_a_mode_is_refused_with_a_message(client, hybrid):
    response = register_by_form(client, hybrid)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_attendance_mode_0">Come partecipi?</a>: Scegli se partecipi in presenza o online.' in html
    assert not Registration.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_in_person_gets_the_address_and_access_notes_never_the_link(client, hybrid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register_by_form(client, hybrid, attendance_mode="in_person")
    registration = Registration.objects.get()
    assert (registration.attendance_mode, registration.status) == ("in_person", "confirmed")
    (message,) = sent_to("persona1@comune.example.it")
    assert message.subject == "Iscrizione confermata: Incontro ibrido"
    assert "Partecipi: in presenza\nDove: La Casa dei Comuni, Via Rovello 2, Milano\n" in message.body
    assert f"Come arrivare: {NOTES}\n" in message.body
    html = message.alternatives[0][0]
    assert SECRET not in message.body and SECRET not in html and "segreto" not in str(message.attachments)
    assert "Online" not in message.body
    event = event_of(message)
    assert str(event["LOCATION"]) == "La Casa dei Comuni, Via Rovello 2, Milano"
    page = client.get(reverse("registrations:manage", args=[registration.token])).content.decode()
    assert '<span id="attendance-mode">in presenza</span>' in page
    assert f"<strong>Come arrivare:</strong> {NOTES}" in page
    assert SECRET not in page
    assert ">Passa a online</button>" in page


def test_online_gets_the_link_and_not_the_address(client, hybrid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register_by_form(client, hybrid, attendance_mode="online")
    registration = Registration.objects.get()
    assert (registration.attendance_mode, registration.status) == ("online", "confirmed")
    (message,) = sent_to("persona1@comune.example.it")
    assert f"Partecipi: online\nLink per partecipare online: {SECRET}\n" in message.body
    assert "Dove:" not in message.body and NOTES not in message.body
    assert f'<a href="{SECRET}">' in message.alternatives[0][0]
    event = event_of(message)
    assert (str(event["LOCATION"]), str(event["URL"])) == (SECRET, SECRET)
    page = client.get(reverse("registrations:manage", args=[registration.token])).content.decode()
    assert '<span id="attendance-mode">online</span>' in page
    assert f'<a href="{SECRET}" rel="noreferrer noopener">' in page
    assert ">Passa in presenza</button>" in page


def test_the_room_fills_and_waits_while_online_stays_open(client, hybrid):
    register_by_form(client, hybrid, 1, attendance_mode="in_person")
    response = register_by_form(client, hybrid, 2, attendance_mode="in_person")
    assert "sei in lista d&#x27;attesa, in posizione 1" in response.content.decode()
    register_by_form(client, hybrid, 3, attendance_mode="online")
    rows = dict(Registration.objects.values_list("email", "status"))
    assert rows == {
        "persona1@comune.example.it": "confirmed",
        "persona2@comune.example.it": "waitlisted",
        "persona3@comune.example.it": "confirmed",
    }
    html = client.get(reverse("registrations:register", args=[hybrid.pk])).content.decode()
    assert "<strong>In presenza</strong>: posti esauriti, iscrivendoti entri in lista d'attesa" in html
    page = client.get(hybrid.get_absolute_url()).content.decode()
    assert "in presenza: 0 posti disponibili su 1" in page


def test_a_cancelled_room_seat_goes_to_the_first_in_person_waiter_not_an_earlier_online_one(register):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, capacity=1, online_capacity=1, requires_confirmation=False)
    room = register(meeting, 1, attendance_mode="in_person").registration
    register(meeting, 2, attendance_mode="online")
    online_waiter = register(meeting, 3, attendance_mode="online").registration
    room_waiter = register(meeting, 4, attendance_mode="in_person").registration
    assert (online_waiter.status, room_waiter.status) == ("waitlisted", "waitlisted")
    assert OutboundEmail.objects.get(to="persona4@comune.example.it").context["position"] == 1
    services.registration_cancel(registration_id=room.pk)
    online_waiter.refresh_from_db()
    room_waiter.refresh_from_db()
    assert (online_waiter.status, room_waiter.status) == ("waitlisted", "confirmed")
    assert list(
        OutboundEmail.objects.filter(to="persona4@comune.example.it").order_by("pk").values_list("template", flat=True)
    ) == ["waitlisted", "promoted"]


def test_switching_mode_on_the_manage_page_moves_the_seat_and_frees_the_room(
    client, hybrid, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register_by_form(client, hybrid, 1, attendance_mode="in_person")
        register_by_form(client, hybrid, 2, attendance_mode="in_person")
    first = Registration.objects.get(email="persona1@comune.example.it")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations:switch_mode", args=[first.token]), {"attendance_mode": "online"}, follow=True
        )
    html = response.content.decode()
    assert "Ora partecipi online: ti abbiamo inviato un&#x27;email con i dettagli." in html
    assert '<span id="attendance-mode">online</span>' in html
    first.refresh_from_db()
    second = Registration.objects.get(email="persona2@comune.example.it")
    assert (first.attendance_mode, first.status) == ("online", "confirmed")
    assert (second.attendance_mode, second.status) == ("in_person", "confirmed")  # promoted into the freed room seat
    (switched,) = sent_to("persona1@comune.example.it")
    assert switched.subject == "Ora partecipi online: Incontro ibrido"
    assert (
        "hai cambiato il modo in cui partecipi: ora partecipi online e la tua iscrizione resta confermata."
        in switched.body
    )
    assert f"Link per partecipare online: {SECRET}" in switched.body
    (promoted,) = sent_to("persona2@comune.example.it")
    assert promoted.subject == "Si è liberato un posto in presenza per te: Incontro ibrido"
    assert SECRET not in promoted.body and f"Come arrivare: {NOTES}" in promoted.body


def test_switching_into_a_full_mode_is_refused_and_keeps_the_seat(client, hybrid):
    register_by_form(client, hybrid, 1, attendance_mode="in_person")
    register_by_form(client, hybrid, 2, attendance_mode="online")
    online = Registration.objects.get(email="persona2@comune.example.it")
    emails = OutboundEmail.objects.count()
    response = client.post(
        reverse("registrations:switch_mode", args=[online.token]), {"attendance_mode": "in_person"}, follow=True
    )
    assert (
        "Non ci sono più posti in presenza: la tua iscrizione resta com&#x27;era. Se si libera un posto potrai "
        "riprovare."
    ) in response.content.decode()
    online.refresh_from_db()
    assert (online.attendance_mode, online.status) == ("online", "confirmed")
    assert OutboundEmail.objects.count() == emails


def test_a_single_mode_meeting_takes_its_mode_whatever_is_sent(register):
    online = MeetingFactory(format=Meeting.Format.ONLINE, venue=None, capacity=1)
    assert register(online, 1, attendance_mode="in_person").registration.attendance_mode == "online"
    assert register(online, 2).registration.status == "waitlisted"  # `capacity` is the online meeting's seats
    in_person = MeetingFactory()
    assert register(in_person, 1, attendance_mode="online").registration.attendance_mode == "in_person"
    with pytest.raises(services.RegistrationRefused) as refused:
        services.registration_switch_mode(registration_id=Registration.objects.get(meeting=in_person).pk, mode="online")
    assert refused.value.message == "Questo incontro si svolge in una sola modalità."


def test_whole_lab_registration_applies_the_chosen_mode_to_hybrid_meetings(client):
    lab = LabFactory(slug="ibrido")
    hybrid = MeetingFactory(lab=lab, format=Meeting.Format.HYBRID)
    room = MeetingFactory(lab=lab)
    url = reverse("registrations:register_lab", args=["ibrido"])
    assert FIELDSET in client.get(url).content.decode()
    client.post(url, form(1, attendance_mode="online"), follow=True)
    modes = dict(Registration.objects.values_list("meeting_id", "attendance_mode"))
    assert modes == {hybrid.pk: "online", room.pk: "in_person"}


def test_whole_lab_preview_uses_the_per_mode_rule_for_hybrid_meetings(client, django_assert_num_queries):
    """Room full, online seats free: not "lista d'attesa" (Meeting.is_full); both full: the waiting list."""
    lab = LabFactory(slug="ibrido")
    start = timezone.now() + datetime.timedelta(days=5)
    room_full = MeetingFactory(
        lab=lab, title="Sala piena", format=Meeting.Format.HYBRID, capacity=1, online_capacity=2, starts_at=start
    )
    RegistrationFactory(meeting=room_full, attendance_mode="in_person")
    RegistrationFactory(meeting=room_full, attendance_mode="online")
    all_full = MeetingFactory(
        lab=lab,
        title="Tutto pieno",
        format=Meeting.Format.HYBRID,
        capacity=1,
        online_capacity=1,
        starts_at=start + datetime.timedelta(days=1),
    )
    RegistrationFactory(meeting=all_full, attendance_mode="in_person")
    RegistrationFactory(meeting=all_full, attendance_mode="online")
    unlimited_online = MeetingFactory(
        lab=lab,
        title="Online illimitato",
        format=Meeting.Format.HYBRID,
        capacity=1,
        online_capacity=None,
        starts_at=start + datetime.timedelta(days=2),
    )
    RegistrationFactory(meeting=unlimited_online, attendance_mode="in_person")
    with django_assert_num_queries(3):  # the lab, its meetings, the seats taken of all of them
        response = client.get(reverse("registrations:register_lab", args=["ibrido"]))
    rows = [
        (row.meeting.title, row.state, row.seats_left, row.room_full_online_open) for row in response.context["preview"]
    ]
    assert rows == [
        ("Sala piena", "seat", 0, True),
        ("Tutto pieno", "waitlist", 0, False),
        ("Online illimitato", "seat", 0, True),
    ]
    html = response.content.decode()
    assert (
        html.count(
            '<span class="badge bg-success">ti iscrivi</span> '
            "In presenza al completo (lista d'attesa); online ci sono ancora posti"
        )
        == 2
    )
    assert html.count("Posti esauriti: entri in lista d'attesa") == 1
    # What the preview promised is what the service does: online gets a seat (a hold to confirm), a full meeting the waiting list.
    client.post(reverse("registrations:register_lab", args=["ibrido"]), form(7, attendance_mode="online"))
    statuses = dict(Registration.objects.filter(email=form(7)["email"]).values_list("meeting__title", "status"))
    assert statuses == {"Sala piena": "pending", "Tutto pieno": "waitlisted", "Online illimitato": "pending"}


def test_a_hybrid_meeting_made_in_person_moves_everyone_into_the_room(register):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, capacity=10)
    online = register(meeting, 1, attendance_mode="online").registration
    services.meeting_update(meeting_id=meeting.pk, changes={"format": Meeting.Format.IN_PERSON}, notify=False)
    online.refresh_from_db()
    assert online.attendance_mode == "in_person"


def test_making_a_hybrid_meeting_single_mode_is_refused_when_the_room_would_overflow(register):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, capacity=1, requires_confirmation=False)
    register(meeting, 1, attendance_mode="in_person")
    register(meeting, 2, attendance_mode="online")
    with pytest.raises(services.RegistrationRefused) as refused:
        services.meeting_update(meeting_id=meeting.pk, changes={"format": Meeting.Format.IN_PERSON})
    assert refused.value.message.startswith("Non puoi ridurre i posti a 1: 2 persone hanno già un posto")


def test_the_signin_sheet_lists_only_the_room(hybrid):
    RegistrationFactory(meeting=hybrid, last_name="Sala", attendance_mode="in_person")
    RegistrationFactory(meeting=hybrid, last_name="Video", attendance_mode="online")
    assert [r.last_name for r in signin_registrations(hybrid)] == ["Sala"]


def test_staff_switch_mode_through_the_admin_action(admin_client, hybrid):
    registration = RegistrationFactory(meeting=hybrid, attendance_mode="in_person")
    response = admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "switch_to_online", "_selected_action": [registration.pk], "index": 0},
        follow=True,
    )
    assert "Iscrizioni passate a «online»: 1." in response.content.decode()
    registration.refresh_from_db()
    assert registration.attendance_mode == "online"
    assert list(OutboundEmail.objects.values_list("template", "context__mode_switched")) == [("confirmed", True)]
    listing = admin_client.get(
        reverse("admin:registrations_registration_changelist"), {"attendance_mode__exact": "online"}
    )
    assert registration.last_name in listing.content.decode()


def test_the_reminder_gives_each_mode_its_details(hybrid, django_capture_on_commit_callbacks):
    confirmed = timezone.now() - datetime.timedelta(days=3)
    room = RegistrationFactory(meeting=hybrid, attendance_mode="in_person", confirmed_at=confirmed)
    video = RegistrationFactory(meeting=hybrid, attendance_mode="online", confirmed_at=confirmed)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registrations_send_reminders(now=hybrid.starts_at - datetime.timedelta(hours=2)) == 2
    (to_room,) = sent_to(room.email)
    (to_video,) = sent_to(video.email)
    assert f"Come arrivare: {NOTES}" in to_room.body and SECRET not in to_room.body
    assert f"Link per partecipare online: {SECRET}" in to_video.body and "Dove:" not in to_video.body


def test_online_seats_cannot_drop_below_the_online_seats_held(register):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, capacity=5, online_capacity=3, requires_confirmation=False)
    register(meeting, 1, attendance_mode="online")
    register(meeting, 2, attendance_mode="online")
    register(meeting, 3, attendance_mode="in_person")
    problems = services.meeting_update_problems(meeting_id=meeting.pk, capacity=None, starts_at=None, online_capacity=1)
    assert problems == {
        "online_capacity": "Non puoi ridurre i posti online a 1: 2 persone hanno già un posto online. Prima annulla o "
        "sposta le iscrizioni di chi non potrà partecipare, oppure lascia almeno 2 posti."
    }
    # The room counts only the in-person seat.
    assert services.meeting_update_problems(meeting_id=meeting.pk, capacity=1, starts_at=None) == {}
    result = services.meeting_update(meeting_id=meeting.pk, changes={"online_capacity": 2}, notify=False)
    assert result.promoted == []
    meeting.refresh_from_db()
    assert meeting.online_capacity == 2


def test_raising_the_online_seats_promotes_the_online_waiting_list(register):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, capacity=5, online_capacity=1, requires_confirmation=False)
    register(meeting, 1, attendance_mode="online")
    waiting = register(meeting, 2, attendance_mode="online").registration
    assert waiting.status == "waitlisted"
    result = services.meeting_update(meeting_id=meeting.pk, changes={"online_capacity": 2}, notify=False)
    assert result.promoted == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_a_pending_registration_switches_with_its_hold_and_an_overdue_one_is_refused(register):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, capacity=5, online_capacity=5)
    pending = register(meeting, 1, attendance_mode="in_person").registration
    hold = pending.hold_expires_at
    services.registration_switch_mode(registration_id=pending.pk, mode="online")
    pending.refresh_from_db()
    assert (pending.attendance_mode, pending.status, pending.hold_expires_at) == ("online", "pending", hold)
    assert list(OutboundEmail.objects.order_by("pk").values_list("template", flat=True)) == [
        "confirm_address",
        "confirm_address",
    ]
    with freeze_time(hold + datetime.timedelta(minutes=1)), pytest.raises(services.RegistrationRefused) as refused:
        services.registration_switch_mode(registration_id=pending.pk, mode="in_person")
    assert refused.value.code == "expired"
    pending.refresh_from_db()
    assert pending.attendance_mode == "online"


def test_a_full_room_with_online_seats_left_is_not_shown_as_full(client, hybrid):
    """The meeting, lab and home pages tell people the room is full but online is open, and offer "Iscriviti", not
    the waiting list (the walk-through found all three saying "Posti esauriti")."""
    RegistrationFactory(meeting=hybrid, attendance_mode=Meeting.Mode.IN_PERSON)
    meeting = Meeting.objects.with_seats_taken().get(pk=hybrid.pk)
    assert (meeting.seats_left, meeting.online_seats_left, meeting.is_full) == (0, None, False)
    assert meeting.room_full_online_open

    page = client.get(hybrid.get_absolute_url()).content.decode()
    assert "Iscriviti alla lista d'attesa" not in page
    assert f'href="{reverse("registrations:register", args=[hybrid.pk])}">Iscriviti</a>' in page
    lab_page = client.get(hybrid.lab.get_absolute_url()).content.decode()
    assert "In presenza al completo (lista d'attesa); online ci sono ancora posti" in lab_page

    hybrid.online_capacity = 1
    hybrid.save()
    RegistrationFactory(meeting=hybrid, attendance_mode=Meeting.Mode.ONLINE)
    full = Meeting.objects.with_seats_taken().get(pk=hybrid.pk)
    assert (full.seats_left, full.online_seats_left, full.is_full, full.room_full_online_open) == (0, 0, True, False)
    assert "Iscriviti alla lista d'attesa" in client.get(hybrid.get_absolute_url()).content.decode()
