"""A person's whole journey in real Chromium: register, open the email, confirm, see the link, cancel; the first person
on the waiting list is promoted and emailed. Emails go to Django's locmem outbox (same process as the live server);
Celery runs eagerly, after commit, like the development setup."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from ancilab_portal.celery import app as celery_app
from labs.models import Meeting
from registrations import services
from registrations.models import Registration
from tests.conftest import axe_violations
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "https://meet.example.org/segreto-123"


@pytest.fixture(autouse=True)
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def link_in(message, pattern: str) -> str:
    match = re.search(pattern, message.body)
    assert match, message.body
    return match.group(0)


def test_register_confirm_see_the_link_cancel_and_the_waiting_list_moves(page, live_server, settings):
    settings.SITE_URL = live_server.url
    meeting = MeetingFactory(capacity=1, online_capacity=1, format=Meeting.Format.HYBRID)

    page.goto(f"/incontri/{meeting.pk}/iscrizione/")
    assert axe_violations(page) == []
    page.fill("#id_first_name", "Giulia")
    page.fill("#id_last_name", "Bianchi")
    page.fill("#id_email", "giulia.bianchi@comune.example.it")
    page.fill("#id_organization", "Comune di Bergamo")
    page.select_option("#id_organization_type", "comune")
    page.fill("#id_role", "Funzionaria")
    page.locator("label[for=id_attendance_mode_1]").click()
    page.get_by_text("Dichiaro di aver letto l'informativa privacy").click()
    page.get_by_role("button", name="Iscriviti").click()
    page.wait_for_url("**/iscrizione/esito/")
    assert "Quasi fatto: ti abbiamo inviato un'email all'indirizzo giulia.bianchi@comune.example.it." in (
        page.inner_text("main")
    )

    # Somebody else arrives when the only seat is held: waiting list.
    waiting = services.registration_create(
        meeting_id=meeting.pk,
        data={
            "first_name": "Marco",
            "last_name": "Verdi",
            "email": "marco.verdi@comune.example.it",
            "organization": "Comune di Lecco",
            "organization_type": "comune",
            "attendance_mode": "online",
        },
        language="it",
    ).registration
    assert waiting.status == "waitlisted"

    # Open the email and follow the confirmation link.
    confirm_email = next(m for m in mail.outbox if m.to == ["giulia.bianchi@comune.example.it"])
    assert confirm_email.subject == f"Conferma la tua iscrizione: {meeting.title}"
    assert SECRET not in confirm_email.body
    page.goto(link_in(confirm_email, rf"{re.escape(live_server.url)}/iscrizioni/[\w-]+/conferma/"))
    page.get_by_role("button", name="Conferma l'iscrizione").click()
    page.wait_for_selector("#registration-status")
    main = page.inner_text("main")
    assert "Iscrizione confermata: ti abbiamo inviato un'email con tutti i dettagli." in main
    assert page.inner_text("#registration-status") == "confermata"
    assert page.get_by_role("link", name=SECRET).get_attribute("href") == SECRET
    assert axe_violations(page) == []
    confirmed_email = mail.outbox[-1]
    assert confirmed_email.subject == f"Iscrizione confermata: {meeting.title}"
    assert SECRET in confirmed_email.body
    assert confirmed_email.attachments[0][0] == "incontro.ics"

    # Cancel from the manage page.
    page.get_by_role("link", name="Annulla l'iscrizione").click()
    page.get_by_role("button", name="Sì, annulla l'iscrizione").click()
    page.wait_for_selector("#registration-status")
    assert "La tua iscrizione è stata annullata. Grazie per averci avvisato." in page.inner_text("main")
    assert page.inner_text("#registration-status") == "annullata"
    assert page.get_by_role("link", name=SECRET).count() == 0

    # The first person on the waiting list got the seat, and an email with their confirmation link.
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.PENDING
    promoted = [m for m in mail.outbox if m.to == ["marco.verdi@comune.example.it"]]
    assert [m.subject for m in promoted] == [
        f"Sei in lista d'attesa: {meeting.title}",
        f"Si è liberato un posto online per te: {meeting.title}",  # a hybrid meeting: the subject says which seat
    ]
    assert f"/iscrizioni/{waiting.token}/conferma/" in promoted[-1].body


LOGIN_CODE = re.compile(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", re.MULTILINE)


def test_register_confirm_sign_in_by_code_to_my_registrations_cancel_and_get_a_receipt(page, live_server, settings):
    """Issue 12: the whole self-service loop with nothing typed in the address bar after the first page."""
    settings.SITE_URL = live_server.url
    email = "anna.neri@comune.example.it"
    meeting = MeetingFactory(title="Co-progettare i servizi", capacity=10)
    mail.outbox.clear()

    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Iscriviti", exact=True).click()
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Neri")
    page.fill("#id_email", email)
    page.fill("#id_organization", "Comune di Brescia")
    page.select_option("#id_organization_type", "comune")
    page.get_by_text("Dichiaro di aver letto l'informativa privacy").click()
    page.get_by_role("button", name="Iscriviti").click()
    page.wait_for_url("**/iscrizione/esito/")

    # The email: confirm link, and the way to "Le mie iscrizioni".
    confirm_email = mail.outbox[-1]
    assert confirm_email.to == [email]
    assert f"{live_server.url}/le-mie-iscrizioni/" in confirm_email.body
    page.goto(link_in(confirm_email, rf"{re.escape(live_server.url)}/iscrizioni/[\w-]+/conferma/"))
    page.get_by_role("button", name="Conferma l'iscrizione").click()
    page.wait_for_selector("#registration-status")
    assert (
        page.inner_text("main").count("Iscrizione confermata: ti abbiamo inviato un'email con tutti i dettagli.") == 1
    )
    assert mail.outbox[-1].subject == "Iscrizione confermata: Co-progettare i servizi"

    # "Vedi tutte le tue iscrizioni" asks to sign in: a code arrives by email.
    page.get_by_role("link", name="Vedi tutte le tue iscrizioni").click()
    page.wait_for_url("**/account/login/**")
    assert "Per vedere le tue iscrizioni non serve una password" in page.inner_text("main")
    sent = len(mail.outbox)
    page.fill("input[name=login]", email)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector("input[name=code]")
    code_email = mail.outbox[sent]
    assert code_email.to == [email]
    page.fill("input[name=code]", LOGIN_CODE.search(code_email.body).group(1))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/le-mie-iscrizioni/")
    assert page.get_by_role("heading", name="Prossimi incontri").is_visible()
    assert "Co-progettare i servizi" in page.inner_text("#main-content")
    header = page.locator(".it-access-top-wrapper")
    assert header.get_by_role("link", name="Le mie iscrizioni").is_visible()
    assert header.get_by_role("button", name="Esci").is_visible()
    assert axe_violations(page) == []

    # Cancel from the list; the receipt arrives.
    page.get_by_role("link", name="Annulla – Co-progettare i servizi").click()
    page.get_by_role("button", name="Sì, annulla l'iscrizione").click()
    page.wait_for_selector("#registration-status")
    assert page.inner_text("#registration-status") == "annullata"
    registration = Registration.objects.get(email=email)
    assert registration.status == Registration.Status.CANCELLED
    receipt = mail.outbox[-1]
    assert (receipt.to, receipt.subject) == ([email], "Iscrizione annullata: Co-progettare i servizi")
    assert "come hai chiesto, abbiamo annullato la tua iscrizione a questo incontro:" in receipt.body
    assert [m.subject for m in mail.outbox].count("Iscrizione annullata: Co-progettare i servizi") == 1

    # Esci: signed out, the header offers Accedi again.
    page.locator(".it-access-top-wrapper").get_by_role("button", name="Esci").click()
    page.wait_for_load_state()
    if page.locator("main form button[type=submit]").count():  # allauth's confirmation page, if shown
        page.locator("main form button[type=submit]").first.click()
    page.locator(".it-access-top-wrapper").get_by_role("link", name="Accedi").wait_for()
