"""Registration rules (registrations/services.py): capacity, waiting list, opt-in, eligibility, refusals."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from freezegun import freeze_time

from labs.models import Meeting
from registrations import outbox, services
from registrations.models import OrganizationType, OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory

from .conftest import person

pytestmark = pytest.mark.django_db


def templates_sent(email: str | None = None) -> list[str]:
    rows = OutboundEmail.objects.order_by("pk")
    if email:
        rows = rows.filter(to=email)
    return list(rows.values_list("template", flat=True))


def rendered(email: OutboundEmail) -> SimpleNamespace:
    """The email as the worker will render it when sending (rows hold primitives until then)."""
    subject, body_text, body_html, attachments = outbox.render_row(email)
    return SimpleNamespace(
        to=email.to,
        template=email.template,
        status=email.status,
        language=email.language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
    )


def refusal(meeting, **overrides) -> str:
    with pytest.raises(services.RegistrationRefused) as info:
        services.registration_create(meeting_id=meeting.pk, data=person(**overrides), language="it")
    return info.value.message


def test_it_holds_a_seat_pending_and_emails_the_confirmation_link(register):
    meeting = MeetingFactory(capacity=2)
    before = timezone.now()
    result = register(meeting)
    registration = result.registration
    assert registration.status == Registration.Status.PENDING
    assert registration.hold_expires_at >= before + datetime.timedelta(hours=48)
    assert registration.hold_expires_at <= timezone.now() + datetime.timedelta(hours=48)
    email = rendered(OutboundEmail.objects.get())
    assert (email.to, email.template, email.status) == ("persona1@comune.example.it", "confirm_address", "queued")
    assert f"/iscrizioni/{registration.token}/conferma/" in email.body_text
    assert email.subject == f"Conferma la tua iscrizione: {meeting.title}"


def test_the_hold_never_lasts_past_the_meeting_start(register):
    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(hours=5), ends_at=None)
    registration = register(meeting).registration
    assert registration.hold_expires_at == meeting.starts_at


def test_without_opt_in_it_confirms_directly_with_the_ics_and_the_link(register):
    meeting = MeetingFactory(requires_confirmation=False, format=Meeting.Format.HYBRID)
    registration = register(meeting, attendance_mode="online").registration
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.hold_expires_at is None
    email = rendered(OutboundEmail.objects.get())
    assert email.template == "confirmed"
    assert "https://meet.example.org/segreto-123" in email.body_text
    assert email.attachments[0]["filename"] == "incontro.ics"
    assert "https://meet.example.org/segreto-123" in email.attachments[0]["content"]


def test_beyond_capacity_people_join_the_waiting_list_in_arrival_order(register):
    meeting = MeetingFactory(capacity=2)
    results = [register(meeting, n) for n in range(1, 6)]
    assert [r.status for r in results] == ["pending", "pending", "waitlisted", "waitlisted", "waitlisted"]
    assert [r.waitlist_position for r in results] == [None, None, 1, 2, 3]
    assert templates_sent() == ["confirm_address"] * 2 + ["waitlisted"] * 3
    assert "sei in lista d'attesa, in posizione 3." in rendered(OutboundEmail.objects.order_by("pk").last()).body_text


def test_the_same_email_is_one_registration_and_the_email_is_sent_again(register):
    meeting = MeetingFactory()
    first = register(meeting, 1)
    again = register(meeting, 1, email="PERSONA1@Comune.Example.IT", first_name="Altro")
    assert again.already_registered is True
    assert again.registration.pk == first.registration.pk
    assert Registration.objects.count() == 1
    assert Registration.objects.get().first_name == "Giulia"  # a public form must not overwrite someone's data
    assert templates_sent() == ["confirm_address", "confirm_address"]


def test_a_confirmed_person_registering_again_gets_the_confirmed_email_again(register):
    meeting = MeetingFactory(requires_confirmation=False)
    register(meeting)
    assert register(meeting).already_registered
    assert templates_sent() == ["confirmed", "confirmed"]


def test_a_cancelled_person_may_register_again_with_a_new_token(register):
    meeting = MeetingFactory()
    old = register(meeting).registration
    services.registration_cancel(registration_id=old.pk)
    new = register(meeting).registration
    assert new.pk == old.pk
    assert new.status == Registration.Status.PENDING
    assert new.token != old.token
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cancelled": True}, "Questo incontro è stato annullato: non è possibile iscriversi."),
        (
            {"starts_at": None, "ends_at": None, "venue": None},
            "La data di questo incontro non è ancora stata fissata: le iscrizioni non sono ancora aperte.",
        ),
        (
            {"starts_at": timezone.now() - datetime.timedelta(days=1), "ends_at": None},
            "Questo incontro si è già svolto: non è più possibile iscriversi.",
        ),
        (
            {"registration_closes_at": timezone.now() - datetime.timedelta(minutes=1)},
            "Le iscrizioni a questo incontro sono chiuse.",
        ),
    ],
)
def test_it_refuses_with_a_clear_message(changes, message):
    meeting = MeetingFactory(**changes)
    assert refusal(meeting) == message
    assert Registration.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_it_says_when_registration_opens():
    opens = timezone.now() + datetime.timedelta(days=3)
    meeting = MeetingFactory(registration_opens_at=opens)
    local = timezone.localtime(opens)
    expected = (
        f"Le iscrizioni a questo incontro apriranno il {date_format(local, 'DATE_FORMAT')} "
        f"alle {date_format(local, 'TIME_FORMAT')}."
    )
    assert refusal(meeting) == expected


def test_a_meeting_for_public_administrations_refuses_other_bodies(register):
    meeting = MeetingFactory(audience=Meeting.Audience.PUBLIC_ADMINISTRATIONS)
    assert refusal(meeting, organization_type=OrganizationType.AZIENDA) == (
        "Questo incontro è riservato alle pubbliche amministrazioni (Comuni, Province, Unioni di comuni, Regione e "
        "altri enti pubblici): il tipo di ente indicato non è ammesso."
    )
    assert register(meeting, 2, organization_type=OrganizationType.UNIONE).status == "pending"


def test_confirming_sends_the_confirmed_email_and_keeps_the_seat(register):
    meeting = MeetingFactory(capacity=1, format=Meeting.Format.ONLINE, venue=None)
    registration = register(meeting).registration
    confirmed = services.registration_confirm(registration_id=registration.pk)
    assert confirmed.status == Registration.Status.CONFIRMED
    assert confirmed.hold_expires_at is None
    assert templates_sent() == ["confirm_address", "confirmed"]
    body = rendered(OutboundEmail.objects.order_by("pk").last()).body_text
    assert "Link per partecipare online: https://meet.example.org/segreto-123" in body
    assert f"/iscrizioni/{registration.token}/" in body
    # Confirming twice is harmless: no second email.
    services.registration_confirm(registration_id=registration.pk)
    assert templates_sent() == ["confirm_address", "confirmed"]


def test_the_online_link_is_never_in_emails_before_confirmation(register):
    meeting = MeetingFactory(capacity=1, format=Meeting.Format.ONLINE, venue=None)
    register(meeting, 1)
    register(meeting, 2)
    for email in map(rendered, OutboundEmail.objects.all()):
        assert "segreto-123" not in email.body_text + email.body_html
        assert email.attachments == []


def test_cancel_frees_the_seat_and_promotes_the_first_waitlisted_person(register):
    meeting = MeetingFactory(capacity=1)
    first = register(meeting, 1).registration
    second = register(meeting, 2).registration
    third = register(meeting, 3).registration
    services.registration_cancel(registration_id=first.pk)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("pending", "waitlisted")
    assert second.hold_expires_at is not None
    assert templates_sent("persona2@comune.example.it") == ["waitlisted", "promoted"]
    promoted = rendered(OutboundEmail.objects.order_by("pk").last())
    assert promoted.subject == f"Si è liberato un posto per te: {meeting.title}"
    assert f"/iscrizioni/{second.token}/conferma/" in promoted.body_text


def test_without_opt_in_the_promoted_person_is_confirmed_and_gets_the_link(register):
    meeting = MeetingFactory(online_capacity=1, requires_confirmation=False, format=Meeting.Format.HYBRID)
    first = register(meeting, 1, attendance_mode="online").registration
    second = register(meeting, 2, attendance_mode="online").registration
    services.registration_cancel(registration_id=first.pk)
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    promoted = rendered(OutboundEmail.objects.order_by("pk").last())
    assert promoted.template == "promoted"
    assert "https://meet.example.org/segreto-123" in promoted.body_text
    assert promoted.attachments[0]["mimetype"] == "text/calendar"


def test_staff_cancellation_tells_the_person(register):
    registration = register(MeetingFactory()).registration
    services.registration_cancel(registration_id=registration.pk, by_staff=True)
    assert templates_sent() == ["confirm_address", "registration_cancelled"]


def test_unconfirmed_holds_expire_and_the_waiting_list_moves(register):
    meeting = MeetingFactory(capacity=1)
    first = register(meeting, 1).registration
    second = register(meeting, 2).registration
    with freeze_time(timezone.now() + datetime.timedelta(hours=49)):
        assert services.registrations_expire_holds() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("expired", "pending")
    assert templates_sent("persona2@comune.example.it") == ["waitlisted", "promoted"]


def test_the_seat_counts_sql_says_what_the_querysets_say(register):
    # services.SEAT_COUNTS_SQL is hand-written for speed: it must count exactly what the ORM rules count.
    meeting = MeetingFactory(capacity=3)
    for n in range(1, 8):
        register(meeting, n)
    services.registration_cancel(registration_id=Registration.objects.get(email="persona4@comune.example.it").pk)
    Registration.objects.filter(email="persona1@comune.example.it").update(status=Registration.Status.CONFIRMED)
    Registration.objects.filter(email="persona2@comune.example.it").update(hold_expires_at=timezone.now())
    register(MeetingFactory(), 1)  # another meeting's rows are not counted
    later = timezone.now() + datetime.timedelta(seconds=1)
    rows = Registration.objects.filter(meeting=meeting)
    expected = {
        "held": {"in_person": rows.holding_seat().count(), "online": 0},
        "waiting": {"in_person": rows.waitlisted().count(), "online": 0},
        "overdue": rows.filter(status=Registration.Status.PENDING, hold_expires_at__lte=later).count(),
        "same_email": rows.filter(email__iexact="PERSONA5@comune.EXAMPLE.it").count(),
    }
    assert expected["held"]["in_person"] == 3
    assert expected["waiting"]["in_person"] == 3
    assert (expected["overdue"], expected["same_email"]) == (1, 1)
    assert services._seat_counts(meeting, later, "PERSONA5@comune.EXAMPLE.it") == expected
    assert services._seat_counts(meeting, later)["same_email"] == 0


def test_a_registration_frees_overdue_holds_before_counting_seats(register):
    # No periodic job ran: the next registration expires the overdue hold, promotes the first waitlisted person into
    # the freed seat, and only then counts the seats for itself.
    meeting = MeetingFactory(capacity=1)
    first = register(meeting, 1).registration
    second = register(meeting, 2).registration
    with freeze_time(timezone.now() + datetime.timedelta(hours=49)):
        third = register(meeting, 3)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, third.status) == ("expired", "pending", "waitlisted")
    assert third.waitlist_position == 1
    assert templates_sent() == ["confirm_address", "waitlisted", "promoted", "waitlisted"]


def test_a_person_whose_hold_ran_out_registers_again_as_a_new_request(register):
    meeting = MeetingFactory(capacity=1)
    old = register(meeting).registration
    with freeze_time(timezone.now() + datetime.timedelta(hours=49)):
        again = register(meeting)
    assert again.already_registered is False
    assert again.registration.pk == old.pk
    assert again.status == Registration.Status.PENDING
    assert again.registration.token != old.token
    assert templates_sent() == ["confirm_address", "confirm_address"]


def test_a_waitlisted_person_registering_again_is_told_the_same_position(register):
    meeting = MeetingFactory(capacity=1)
    register(meeting, 1)
    register(meeting, 2)
    register(meeting, 3)
    again = register(meeting, 2)
    assert (again.already_registered, again.waitlist_position) == (True, 1)
    rows = OutboundEmail.objects.filter(to="persona2@comune.example.it").order_by("pk")
    assert [(row.template, row.context["position"]) for row in rows] == [("waitlisted", 1), ("waitlisted", 1)]


def test_confirming_too_late_when_someone_waits_gives_the_seat_away(register):
    meeting = MeetingFactory(capacity=1)
    first = register(meeting, 1).registration
    second = register(meeting, 2).registration
    with (
        freeze_time(timezone.now() + datetime.timedelta(hours=49)),
        pytest.raises(services.RegistrationRefused) as info,
    ):
        services.registration_confirm(registration_id=first.pk)
    assert info.value.message == (
        "Il tempo per confermare l'indirizzo è scaduto e il posto è stato liberato. "
        "Puoi iscriverti di nuovo, se ci sono ancora posti."
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("expired", "pending")  # committed despite the refusal


def test_confirming_late_with_nobody_waiting_is_accepted(register):
    registration = register(MeetingFactory(capacity=5)).registration
    with freeze_time(timezone.now() + datetime.timedelta(hours=49)):
        assert services.registration_confirm(registration_id=registration.pk).status == "confirmed"


def test_raising_the_capacity_promotes_in_arrival_order(register):
    meeting = MeetingFactory(capacity=1)
    regs = [register(meeting, n).registration for n in range(1, 5)]
    Meeting.objects.filter(pk=meeting.pk).update(capacity=3)
    promoted = services.meeting_capacity_changed(meeting_id=meeting.pk)
    assert promoted == [regs[1].pk, regs[2].pk]
    assert Registration.objects.get(pk=regs[3].pk).status == "waitlisted"


def test_move_keeps_a_confirmed_seat_and_promotes_on_the_source(register):
    lab = LabFactory()
    source = MeetingFactory(lab=lab, capacity=1, requires_confirmation=False)
    target = MeetingFactory(lab=lab, capacity=1, starts_at=source.starts_at + datetime.timedelta(days=7))
    moving = register(source, 1).registration
    waiting = register(source, 2).registration
    moved = services.registration_move(registration_id=moving.pk, meeting_id=target.pk)
    assert (moved.meeting_id, moved.status) == (target.pk, "confirmed")
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert templates_sent("persona1@comune.example.it") == ["confirmed", "confirmed"]


def test_move_to_a_full_meeting_joins_its_waiting_list(register):
    lab = LabFactory()
    source = MeetingFactory(lab=lab)
    target = MeetingFactory(lab=lab, capacity=1)
    register(target, 9)
    moving = register(source, 1).registration
    moved = services.registration_move(registration_id=moving.pk, meeting_id=target.pk)
    assert moved.status == "waitlisted"


def test_move_refuses_a_duplicate_on_the_target(register):
    lab = LabFactory()
    source, target = MeetingFactory(lab=lab), MeetingFactory(lab=lab)
    register(target, 1)
    moving = register(source, 1).registration
    with pytest.raises(services.RegistrationRefused) as info:
        services.registration_move(registration_id=moving.pk, meeting_id=target.pk)
    assert info.value.message == "La persona è già iscritta all'incontro di destinazione."


def test_notify_change_emails_every_active_registrant(register):
    meeting = MeetingFactory(capacity=1, requires_confirmation=False, format=Meeting.Format.ONLINE, venue=None)
    confirmed = register(meeting, 1).registration
    register(meeting, 2)  # waitlisted
    cancelled = register(MeetingFactory(), 3).registration
    services.registration_cancel(registration_id=cancelled.pk)
    OutboundEmail.objects.all().delete()
    assert services.meeting_notify_change(meeting_id=meeting.pk, changed_fields=["starts_at", "online_url"]) == 2
    changed = {e.to: rendered(e) for e in OutboundEmail.objects.all()}
    assert set(changed) == {confirmed.email, "persona2@comune.example.it"}
    assert "Cosa è cambiato: inizio, link all'incontro online." in changed[confirmed.email].body_text
    assert "segreto-123" in changed[confirmed.email].body_text
    assert "segreto-123" not in changed["persona2@comune.example.it"].body_text


def test_notify_change_of_a_cancelled_meeting_sends_the_cancellation(register):
    meeting = MeetingFactory()
    register(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(cancelled=True)
    assert services.meeting_notify_change(meeting_id=meeting.pk, changed_fields=["cancelled"]) == 1
    assert rendered(OutboundEmail.objects.order_by("pk").last()).subject == f"Incontro annullato: {meeting.title}"


def test_reminders_are_sent_once_24_hours_before(register):
    meeting = MeetingFactory(requires_confirmation=False, starts_at=timezone.now() + datetime.timedelta(days=3))
    register(meeting)
    with freeze_time(meeting.starts_at - datetime.timedelta(hours=30)):
        assert services.registrations_send_reminders() == 0
    with freeze_time(meeting.starts_at - datetime.timedelta(hours=23)):
        assert services.registrations_send_reminders() == 1
        assert services.registrations_send_reminders() == 0
    assert templates_sent() == ["confirmed", "reminder"]
    reminder = rendered(OutboundEmail.objects.order_by("pk").last())
    assert reminder.attachments[0]["filename"] == "incontro.ics"


def test_emails_are_written_in_the_registrants_language(register):
    meeting = MeetingFactory(title_en="First meeting")
    register(meeting, language="en")
    email = rendered(OutboundEmail.objects.get())
    assert email.language == "en"
    assert "/en/iscrizioni/" in email.body_text


def test_lab_registration_makes_one_registration_per_upcoming_meeting_and_one_email():
    lab = LabFactory()
    meetings = [MeetingFactory(lab=lab), MeetingFactory(lab=lab), MeetingFactory(lab=lab, capacity=1)]
    services.registration_create(meeting_id=meetings[2].pk, data=person(9), language="it")
    MeetingFactory(lab=lab, starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=None)  # past
    outcome = services.registration_create_for_lab(lab_id=lab.pk, data=person(1), language="it")
    assert [r.status for r in outcome.results] == ["pending", "pending", "waitlisted"]
    assert outcome.refused == []
    assert templates_sent("persona1@comune.example.it") == ["confirm_address", "waitlisted"]
    confirm = rendered(OutboundEmail.objects.get(to="persona1@comune.example.it", template="confirm_address"))
    assert confirm.subject == "Conferma il tuo indirizzo per completare le iscrizioni"
    # One click confirms the whole submission.
    services.registration_confirm(registration_id=outcome.results[0].registration.pk)
    statuses = Registration.objects.filter(email="persona1@comune.example.it").order_by("meeting__starts_at", "pk")
    assert [r.status for r in statuses] == ["confirmed", "confirmed", "waitlisted"]


def test_lab_registration_reports_meetings_that_refuse():
    lab = LabFactory()
    MeetingFactory(lab=lab)
    reserved = MeetingFactory(lab=lab, audience=Meeting.Audience.PUBLIC_ADMINISTRATIONS)
    outcome = services.registration_create_for_lab(
        lab_id=lab.pk, data=person(1, organization_type=OrganizationType.AZIENDA), language="it"
    )
    assert len(outcome.results) == 1
    assert [(m.pk, msg[:60]) for m, msg in outcome.refused] == [
        (reserved.pk, "Questo incontro è riservato alle pubbliche amministrazioni (")
    ]


@pytest.mark.parametrize(
    ("online_url", "expected"),
    [
        ("https://meet.example.org/stanza", "Link per partecipare online: https://meet.example.org/stanza"),
        ("", "Il link per partecipare online ti verrà inviato via email prima dell'incontro."),
    ],
)
def test_the_confirmed_email_gives_the_link_or_says_it_will_follow(online_url, expected):
    meeting = MeetingFactory(format=Meeting.Format.ONLINE, online_url=online_url, requires_confirmation=False)
    services.registration_create(meeting_id=meeting.pk, data=person(), language="it")
    email = rendered(OutboundEmail.objects.get(template="confirmed"))
    assert expected in email.body_text
    assert "il link arriva con la conferma" not in email.body_text
    assert (online_url or "ti verrà inviato via email prima dell") in email.body_html


# --- Meeting changes from staff (meeting_changed, meeting_update, meeting_update_problems) ----------------------------
def _emails_by_template() -> list[tuple[str, str]]:
    return sorted(OutboundEmail.objects.values_list("to", "template"))


@pytest.fixture
def full_meeting(register):
    """Capacity 1, requires no address confirmation: persona1 confirmed, persona2 waiting; outbox emptied."""
    meeting = MeetingFactory(capacity=1, requires_confirmation=False)
    register(meeting, 1)
    register(meeting, 2)
    OutboundEmail.objects.all().delete()
    return meeting


def test_meeting_changed_tells_confirmed_and_waiting_registrants_of_a_move(full_meeting):
    result = services.meeting_changed(meeting_id=full_meeting.pk, changed_fields=["starts_at", "title"])
    assert len(result.notified) == 2 and result.untold == [] and result.cancelled == []
    assert _emails_by_template() == [
        ("persona1@comune.example.it", "meeting_changed"),
        ("persona2@comune.example.it", "meeting_changed"),
    ]
    changed = rendered(OutboundEmail.objects.get(to="persona1@comune.example.it"))
    assert "Cosa è cambiato: inizio." in changed.body_text  # the title is not a notice field


def test_meeting_changed_without_notice_lists_who_was_not_told(full_meeting):
    result = services.meeting_changed(meeting_id=full_meeting.pk, changed_fields=["online_url"], notify=False)
    assert len(result.untold) == 2 and result.notified == []
    assert OutboundEmail.objects.count() == 0


def test_meeting_changed_of_a_cancelled_meeting_cancels_the_registrations(full_meeting):
    Meeting.objects.filter(pk=full_meeting.pk).update(cancelled=True)
    result = services.meeting_changed(meeting_id=full_meeting.pk, changed_fields=["cancelled"])
    assert len(result.cancelled) == 2 and result.promoted == []
    assert set(Registration.objects.filter(meeting=full_meeting).values_list("status", flat=True)) == {"cancelled"}
    assert _emails_by_template() == [
        ("persona1@comune.example.it", "meeting_cancelled"),
        ("persona2@comune.example.it", "meeting_cancelled"),
    ]


def test_meeting_changed_can_keep_the_registrations_of_a_cancelled_meeting(full_meeting):
    Meeting.objects.filter(pk=full_meeting.pk).update(cancelled=True)
    result = services.meeting_changed(
        meeting_id=full_meeting.pk, changed_fields=["cancelled"], cancel_registrations=False
    )
    assert result.cancelled == [] and len(result.notified) == 2
    assert sorted(Registration.objects.filter(meeting=full_meeting).values_list("status", flat=True)) == [
        "confirmed",
        "waitlisted",
    ]


def test_meeting_changed_promotes_into_a_raised_capacity(full_meeting):
    Meeting.objects.filter(pk=full_meeting.pk).update(capacity=2)
    result = services.meeting_changed(meeting_id=full_meeting.pk, changed_fields=["capacity"])
    assert result.notified == [] and len(result.promoted) == 1
    assert _emails_by_template() == [("persona2@comune.example.it", "promoted")]


def test_meeting_update_problems_names_the_seats_held_and_refuses_the_past(full_meeting):
    problems = services.meeting_update_problems(meeting_id=full_meeting.pk, capacity=None, starts_at=None)
    assert problems == {}
    past = timezone.now() - datetime.timedelta(hours=1)
    MeetingFactory(capacity=5)  # another meeting: not counted
    Registration.objects.filter(meeting=full_meeting, status="waitlisted").update(status="confirmed")
    problems = services.meeting_update_problems(meeting_id=full_meeting.pk, capacity=1, starts_at=past)
    assert problems == {
        "capacity": (
            "Non puoi ridurre i posti a 1: 2 persone hanno già un posto (confermate o in attesa di conferma). Prima "
            "annulla o sposta le iscrizioni di chi non potrà partecipare, oppure lascia almeno 2 posti."
        ),
        "starts_at": (
            "Questo incontro ha 2 iscrizioni attive: non puoi spostarlo nel passato. Scegli una data futura, oppure "
            "annulla l'incontro (e le sue iscrizioni)."
        ),
    }
    # Cancelling the meeting with its registrations frees the seats: nothing to refuse.
    assert (
        services.meeting_update_problems(
            meeting_id=full_meeting.pk, capacity=1, starts_at=past, cancel_registrations=True
        )
        == {}
    )


def test_meeting_update_applies_the_change_and_runs_the_rules(full_meeting):
    result = services.meeting_update(meeting_id=full_meeting.pk, changes={"cancelled": True})
    assert Meeting.objects.get(pk=full_meeting.pk).cancelled
    assert len(result.cancelled) == 2
    assert templates_sent() == ["meeting_cancelled", "meeting_cancelled"]
    # Same values again: nothing changes, nobody is written to twice.
    assert services.meeting_update(meeting_id=full_meeting.pk, changes={"cancelled": True}).notified == []
    assert OutboundEmail.objects.count() == 2


def test_meeting_update_refuses_a_capacity_below_the_seats_held(register):
    meeting = MeetingFactory(capacity=3)
    register(meeting, 1)
    register(meeting, 2)
    with pytest.raises(services.RegistrationRefused) as info:
        services.meeting_update(meeting_id=meeting.pk, changes={"capacity": 1})
    assert info.value.message.startswith("Non puoi ridurre i posti a 1: 2 persone hanno già un posto")
    assert Meeting.objects.get(pk=meeting.pk).capacity == 3


# --- Staff actions on registrations (promote, cancel several, delete) ------------------------------------------------
def test_promote_seats_a_waiting_person_into_a_free_seat(register):
    meeting = MeetingFactory(capacity=1, requires_confirmation=False)
    register(meeting, 1)
    waiting = register(meeting, 2).registration
    Meeting.objects.filter(pk=meeting.pk).update(capacity=2)  # raised without the service: a free seat, unclaimed
    promoted = services.registration_promote(registration_id=waiting.pk)
    assert promoted.status == "confirmed"
    assert templates_sent("persona2@comune.example.it") == ["waitlisted", "promoted"]


def test_promote_refuses_when_full_or_not_waiting(register):
    meeting = MeetingFactory(capacity=1)
    seated = register(meeting, 1).registration
    waiting = register(meeting, 2).registration
    with pytest.raises(services.RegistrationRefused) as full:
        services.registration_promote(registration_id=waiting.pk)
    assert full.value.code == "full"
    with pytest.raises(services.RegistrationRefused) as not_waiting:
        services.registration_promote(registration_id=seated.pk)
    assert not_waiting.value.message == "Questa iscrizione non è in lista d'attesa."
    assert Registration.objects.get(pk=waiting.pk).status == "waitlisted"


def test_registrations_cancel_without_notice_promotes_and_tells_only_the_promoted(register):
    lab = LabFactory()
    one = MeetingFactory(lab=lab, capacity=1, requires_confirmation=False)
    two = MeetingFactory(lab=lab, capacity=1, requires_confirmation=False)
    mine = [register(one, 1).registration, register(two, 1).registration]
    register(one, 2)
    OutboundEmail.objects.all().delete()
    cancelled = services.registrations_cancel(registration_ids=[r.pk for r in mine], notify_person=False)
    assert sorted(cancelled) == sorted(r.pk for r in mine)
    assert _emails_by_template() == [("persona2@comune.example.it", "promoted")]
    assert services.registrations_cancel(registration_ids=[mine[0].pk]) == []  # already cancelled: nothing


def test_registrations_delete_frees_the_seat_for_the_waiting_list(register):
    meeting = MeetingFactory(capacity=1, requires_confirmation=False)
    doomed = register(meeting, 1).registration
    register(meeting, 2)
    OutboundEmail.objects.all().delete()
    assert services.registrations_delete(registration_ids=[doomed.pk]) == 1
    assert not Registration.objects.filter(pk=doomed.pk).exists()
    assert _emails_by_template() == [("persona2@comune.example.it", "promoted")]
