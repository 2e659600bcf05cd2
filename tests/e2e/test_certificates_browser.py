"""Certificates in real Chromium: the registrations desk sends them from the attendance page (with the confirmation
step), the participant opens the link of the email, downloads the PDF from the registration page, and anyone verifies
the code on the public page (axe: 0 violations on every page visited, no CSP violation)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from registrations.models import Certificate, OutboundEmail
from tests.conftest import axe_violations
from tests.support.certificates import lab_with_attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user) -> None:
    """A staff session without the email-code + TOTP steps (test_backoffice_walkthrough.py walks through those)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_staff_send_certificates_and_the_participant_downloads_and_verifies_one(
    page, chromium_browser, live_server, secretary, settings
):
    settings.SITE_URL = live_server.url
    scene = lab_with_attendance()
    _log_in(page, live_server, secretary)

    page.goto(reverse("admin:labs_meeting_attendance", args=[scene.first.pk]))
    page.get_by_role("button", name="Genera e invia attestati").click()
    page.get_by_text("2 persone risultano presenti.").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Genera e invia", exact=True).click()
    page.get_by_text("«Primo incontro»: 2 attestati; 2 email in coda; 0 già inviati in precedenza").wait_for()
    assert OutboundEmail.objects.filter(template="certificate").count() == 2
    # The log of what was sent, and the attendance page with its certificate links, pass axe too.
    page.goto(reverse("admin:registrations_certificate_changelist"))
    assert page.get_by_text(Certificate.objects.get(last_name="Bruni").display_code).count() == 1
    assert axe_violations(page) == []
    page.goto(reverse("admin:labs_meeting_attendance", args=[scene.first.pk]))
    assert axe_violations(page) == []
    assert page.csp_violations == []

    # The participant, in a browser of their own, follows the email's links.
    email = OutboundEmail.objects.get(template="certificate", to="marco@lodi.example.it")
    certificate = Certificate.objects.get(email="marco@lodi.example.it")
    manage_url = re.search(r"(http\S+/iscrizioni/\S+/)\n", email.body_text).group(1)
    context = chromium_browser.new_context(base_url=live_server.url, locale="it-IT")
    participant = context.new_page()
    participant.goto(manage_url)
    link = participant.get_by_role("link", name="Attestato di partecipazione (PDF)")
    response = participant.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert axe_violations(participant) == []

    participant.goto(reverse("registrations:certificate_verify"))
    assert axe_violations(participant) == []
    participant.get_by_label("Codice di verifica").fill(certificate.display_code.lower())
    participant.get_by_role("button", name="Verifica").click()
    participant.wait_for_url(re.compile(f"/attestati/{certificate.code}/$"))
    assert participant.get_by_role("heading", level=1).inner_text() == "Attestato valido"
    assert "Marco Bruni" in participant.content()
    assert axe_violations(participant) == []
    context.close()
