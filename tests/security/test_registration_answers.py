"""Finding 5 (registration form): the same neutral answer for a new and an existing registration, a daily cap on the
emails one address can be sent through the form, no control characters in names. Finding 6: token routes."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from registrations.models import OutboundEmail, Registration
from tests.factories import MeetingFactory, RegistrationFactory
from tests.hostile import payloads

pytestmark = pytest.mark.django_db


def form(email: str, **overrides) -> dict:
    data = {
        "first_name": "Giulia",
        "last_name": "Rossi",
        "email": email,
        "organization": "Comune di Bergamo",
        "organization_type": "comune",
        "role": "",
        "privacy": "on",
    }
    return data | overrides


def _answer(response, email: str) -> str:
    html = response.content.decode().replace(email, "EMAIL")
    return re.search(r'<p class="mb-0">(.*?)</p>', html, re.S).group(1).strip()


@freeze_time("2030-01-10 10:00:00+01:00")
def test_an_existing_registration_gets_the_same_answer_as_a_new_one():
    meeting = MeetingFactory()
    url = reverse("registrations:register", args=[meeting.pk])
    Client().post(url, form("giulia@comune.example.it"))
    again = Client().post(url, form("giulia@comune.example.it"), follow=True)
    new = Client().post(url, form("mario@comune.example.it"), follow=True)
    assert "già iscritto" not in again.content.decode()
    assert _answer(again, "giulia@comune.example.it") == _answer(new, "mario@comune.example.it")
    # The person still gets the email again.
    assert OutboundEmail.objects.filter(to="giulia@comune.example.it").count() == 2


def test_a_confirmed_registration_is_not_revealed_either():
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, email="giulia@comune.example.it", status="confirmed")
    url = reverse("registrations:register", args=[meeting.pk])
    html = Client().post(url, form("giulia@comune.example.it"), follow=True).content.decode()
    assert "Iscrizione confermata" not in html and "già iscritto" not in html
    assert "Quasi fatto: ti abbiamo inviato un&#x27;email all&#x27;indirizzo giulia@comune.example.it." in html


def test_the_emails_one_address_can_trigger_are_capped_per_day(settings):
    settings.REGISTRATION_RATE_LIMIT_EMAIL = "off"
    settings.REGISTRATION_RATE_LIMIT_EMAIL_DAY = "2/d"
    meeting = MeetingFactory()
    url = reverse("registrations:register", args=[meeting.pk])
    for _ in range(2):
        Client(REMOTE_ADDR="203.0.113.1").post(url, form("giulia@comune.example.it"))
    third = Client(REMOTE_ADDR="203.0.113.2").post(url, form("giulia@comune.example.it"))
    assert third.status_code == 429
    assert OutboundEmail.objects.filter(to="giulia@comune.example.it").count() == 2


@pytest.mark.parametrize("field", ["first_name", "last_name", "organization", "role"])
def test_control_characters_never_reach_the_registration(field, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(requires_confirmation=False)
    url = reverse("registrations:register", args=[meeting.pk])
    value = "Mario\r\nBcc: spam@evil.test\x00\x07\tfine"
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(url, form("mario@comune.example.it", **{field: value}))
    registration = Registration.objects.get()
    assert getattr(registration, field) == "Mario Bcc: spam@evil.test fine"
    for message in mail.outbox:
        assert not any(line.startswith("Bcc:") for line in message.body.splitlines())


TOKEN_ROUTES = ["{}", "{}conferma/", "{}annulla/", "{}calendario.ics"]
BAD_TOKENS = payloads.TOKEN_SEGMENTS


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("route", TOKEN_ROUTES)
@pytest.mark.parametrize("token", BAD_TOKENS)
def test_token_routes_answer_404_without_touching_the_database(client, prefix, route, token, django_assert_num_queries):
    path = f"{prefix}/iscrizioni/{token}/" + route.format("")
    with django_assert_num_queries(0):
        response = client.get(path)
    assert response.status_code == 404, path


def test_a_real_token_still_opens_its_pages(client):
    registration = RegistrationFactory()
    for name in ("manage", "confirm", "cancel", "ics"):
        assert client.get(reverse(f"registrations:{name}", args=[registration.token])).status_code in (200, 302)
