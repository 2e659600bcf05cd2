"""A hybrid meeting in real Chromium: one person registers in presenza, another online, each choosing with the radio
group of the form (keyboard only for the second); each email carries what that mode needs (the address and access
notes, or the link), and the in-person attendee switches to online from the manage page."""

from __future__ import annotations

import pytest
from django.core import mail

from ancilab_portal.celery import app as celery_app
from labs.models import Meeting
from registrations.models import Registration
from tests.conftest import axe_violations
from tests.factories import MeetingFactory, VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "https://meet.example.org/segreto-123"
NOTES = "Ingresso da via Rovello, secondo piano."


@pytest.fixture(autouse=True)
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def fill_person(page, n: int) -> None:
    page.fill("#id_first_name", "Giulia")
    page.fill("#id_last_name", f"Bianchi{n}")
    page.fill("#id_email", f"persona{n}@comune.example.it")
    page.fill("#id_organization", "Comune di Bergamo")
    page.select_option("#id_organization_type", "comune")
    page.get_by_text("Dichiaro di aver letto l'informativa privacy").click()


def test_register_in_each_mode_and_switch(page, live_server, settings):
    settings.SITE_URL = live_server.url
    meeting = MeetingFactory(
        format=Meeting.Format.HYBRID,
        venue=VenueFactory(access_notes=NOTES),
        capacity=5,
        online_capacity=None,
        requires_confirmation=False,
    )
    url = f"/incontri/{meeting.pk}/iscrizione/"

    # Submitting without a choice: the error names the question and the summary link moves focus to it.
    page.goto(url)
    assert axe_violations(page) == []
    fill_person(page, 1)
    page.get_by_role("button", name="Iscriviti").click()
    assert "Come partecipi?: Scegli se partecipi in presenza o online." in page.inner_text("#form-errors")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Come partecipi?").click()
    assert page.evaluate("document.activeElement.id") == "id_attendance_mode_0"
    group = page.get_by_role("group", name="Come partecipi?")
    assert group.get_by_role("radio").count() == 2

    # In presenza, chosen with the mouse (the other fields, the privacy box too, kept their values).
    page.locator("label[for=id_attendance_mode_0]").click()
    assert page.is_checked("#id_privacy")
    page.get_by_role("button", name="Iscriviti").click()
    page.wait_for_url("**/iscrizione/esito/")
    in_person = Registration.objects.get(email="persona1@comune.example.it")
    assert (in_person.attendance_mode, in_person.status) == ("in_person", "confirmed")
    (room_email,) = [m for m in mail.outbox if m.to == ["persona1@comune.example.it"]]
    assert f"Come arrivare: {NOTES}" in room_email.body and SECRET not in room_email.body

    # Online, chosen with the keyboard: Tab into the group, arrow to "Online".
    page.goto(url)
    fill_person(page, 2)
    page.focus("#id_role")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_attendance_mode_0"
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Online").is_checked()
    page.get_by_role("button", name="Iscriviti").click()
    page.wait_for_url("**/iscrizione/esito/")
    online = Registration.objects.get(email="persona2@comune.example.it")
    assert (online.attendance_mode, online.status) == ("online", "confirmed")
    (online_email,) = [m for m in mail.outbox if m.to == ["persona2@comune.example.it"]]
    assert f"Link per partecipare online: {SECRET}" in online_email.body and NOTES not in online_email.body

    # The in-person attendee switches to online on the manage page and gets the link.
    page.goto(in_person.get_absolute_url())
    assert page.inner_text("#attendance-mode") == "in presenza"
    assert page.get_by_role("link", name=SECRET).count() == 0
    assert axe_violations(page) == []
    page.get_by_role("button", name="Passa a online").click()
    page.wait_for_selector("#attendance-mode")
    assert "Ora partecipi online: ti abbiamo inviato un'email con i dettagli." in page.inner_text("main")
    assert page.inner_text("#attendance-mode") == "online"
    assert page.get_by_role("link", name=SECRET).get_attribute("href") == SECRET
    in_person.refresh_from_db()
    assert in_person.attendance_mode == "online"
    switched = [m for m in mail.outbox if m.to == ["persona1@comune.example.it"]][-1]
    assert "hai cambiato il modo in cui partecipi" in switched.body and SECRET in switched.body
    assert page.csp_violations == [] and page.external_requests == []
