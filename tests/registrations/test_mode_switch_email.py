"""The email after a switch of attendance mode (notifications.notify_mode_switched): its subject and first lines say
the new mode and the meeting; the room gets the address, online the link (only once the place is confirmed)."""

from __future__ import annotations

import pytest

from labs.models import Meeting
from registrations import outbox, services
from registrations.models import OutboundEmail
from tests.factories import MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/segreto-123"
ADDRESS = "La Casa dei Comuni, Via Rovello 2, Milano"


@pytest.fixture
def hybrid():
    return MeetingFactory(
        title="Incontro ibrido",
        format=Meeting.Format.HYBRID,
        venue=VenueFactory(),
        capacity=5,
        online_capacity=5,
        online_url=SECRET,
        requires_confirmation=False,
    )


def switched_email(registration, mode: str) -> tuple[str, str, str]:
    services.registration_switch_mode(registration_id=registration.pk, mode=mode)
    subject, text, html, _attachments = outbox.render_row(OutboundEmail.objects.order_by("pk").last())
    return subject, text, html


def test_to_online_the_subject_says_online_and_the_body_gives_the_link(register, hybrid):
    registration = register(hybrid, attendance_mode="in_person").registration
    subject, text, html = switched_email(registration, "online")
    assert subject == "Ora partecipi online: Incontro ibrido"
    assert "hai cambiato il modo in cui partecipi: ora partecipi online e la tua iscrizione resta confermata." in text
    assert f"Link per partecipare online: {SECRET}" in text
    assert f'<a href="{SECRET}">{SECRET}</a>' in html
    assert ADDRESS not in text  # no room for an online attendee (the footer has the sender's own address)


def test_to_in_person_the_subject_says_in_presenza_and_the_body_gives_the_address(register, hybrid):
    registration = register(hybrid, attendance_mode="online").registration
    subject, text, html = switched_email(registration, "in_person")
    assert subject == "Ora partecipi in presenza: Incontro ibrido"
    assert (
        "hai cambiato il modo in cui partecipi: ora partecipi in presenza e la tua iscrizione resta confermata.\n"
        f"Ti aspettiamo qui: {ADDRESS}.\n"
    ) in text
    assert f"Ti aspettiamo qui: {ADDRESS}." in html
    assert SECRET not in text and SECRET not in html  # the link goes only to online attendees


def test_a_pending_registration_is_told_the_new_mode_without_the_link(register, hybrid):
    hybrid.requires_confirmation = True
    hybrid.save()
    registration = register(hybrid, attendance_mode="in_person").registration
    subject, text, html = switched_email(registration, "online")
    assert subject == "Ora partecipi online: conferma la tua iscrizione a Incontro ibrido"
    assert (
        "hai cambiato il modo in cui partecipi: ora partecipi online e il posto resta riservato per te. Il link per "
        "collegarti arriva quando confermi l'iscrizione."
    ) in text
    assert SECRET not in text and SECRET not in html
    assert "abbiamo ricevuto la tua richiesta" not in text


def test_the_email_keeps_the_mode_of_its_switch(register, hybrid):
    # Switched to online and back before the worker sent the first email: that email still says "online".
    registration = register(hybrid, attendance_mode="in_person").registration
    services.registration_switch_mode(registration_id=registration.pk, mode="online")
    services.registration_switch_mode(registration_id=registration.pk, mode="in_person")
    first, second = OutboundEmail.objects.filter(context__mode_switched=True).order_by("pk")
    assert outbox.render_row(first)[0] == "Ora partecipi online: Incontro ibrido"
    assert outbox.render_row(second)[0] == "Ora partecipi in presenza: Incontro ibrido"


def test_in_english(register, hybrid):
    registration = register(hybrid, language="en", attendance_mode="online").registration
    subject, text, _html = switched_email(registration, "in_person")
    assert subject == "You now attend in person: Incontro ibrido"
    assert "you have changed how you attend: you now attend in person and your registration remains confirmed." in text
    assert f"We look forward to seeing you here: {ADDRESS}." in text
