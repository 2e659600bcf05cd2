"""The public registration form × every hostile payload.

Two submissions per payload: the payload in every field (the email is then invalid, so the form must show errors),
and the payload in the free-text fields only with a valid address (the registration may be accepted: then the
confirmation email built from it must still carry exactly one recipient and no injected header)."""

from __future__ import annotations

import itertools

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import MeetingFactory
from tests.hostile.conftest import FORM, assert_clear_error, assert_safe, post_form
from tests.hostile.payloads import ALL, Payload

TEXT_FIELDS = ["first_name", "last_name", "organization", "role"]
ALL_FIELDS = [*TEXT_FIELDS, "email", "organization_type"]
_addresses = itertools.count()


@pytest.fixture(scope="module")
def meeting(module_db):
    return MeetingFactory(capacity=1000)


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.REGISTRATION_RATE_LIMIT_IP = "off"
    settings.REGISTRATION_RATE_LIMIT_EMAIL = "off"


def valid_fields() -> dict[str, str]:
    return {
        "first_name": "Giulia",
        "last_name": "Rossi",
        "email": f"ostile{next(_addresses)}@comune.example.it",
        "organization": "Comune di Bergamo",
        "organization_type": "comune",
        "role": "",
        "privacy": "on",
        "website": "",
    }


def assert_emails_are_clean(address: str) -> None:
    """Every outbox row of this address renders into a message with one recipient and no line break in a header."""
    from registrations.models import OutboundEmail
    from registrations.outbox import build_message, render_row

    for email in OutboundEmail.objects.filter(to=address):
        subject, _text, _html, attachments = render_row(email)
        assert "\n" not in subject and "\r" not in subject
        email.subject = subject
        message = build_message(email, attachments).message()  # raises BadHeaderError on an injected header
        assert message["To"] == address
        assert message["Bcc"] is None and message["Cc"] is None


@pytest.mark.parametrize("payload", ALL, ids=lambda p: p.id)
def test_registration_form_survives_hostile_input(meeting, db, hostile_client, payload: Payload):
    url = reverse("registrations:register", args=[meeting.pk])
    fields = {**valid_fields(), **dict.fromkeys(TEXT_FIELDS, payload)}
    answer = post_form(hostile_client, url, fields, payload, where="register (text fields)")
    if answer:
        response, body = answer
        if response.status_code == 302:
            assert_emails_are_clean(fields["email"])
        else:
            assert_clear_error(response, body, where="register (text fields)")

    everywhere = {**valid_fields(), **dict.fromkeys(ALL_FIELDS, payload)}
    answer = post_form(hostile_client, url, everywhere, payload, where="register (every field)")
    if answer:
        response, body = answer
        assert response.status_code != 302, "an invalid email was accepted"
        assert_clear_error(response, body, where="register (every field)")
    assert all(len(message.recipients()) == 1 for message in mail.outbox)


@pytest.mark.parametrize(
    "body",
    [
        b"first_name=\xff\xfe&last_name=\xc0\xaf&email=a\xed\xa0\x80@comune.example.it&privacy=on",
        b"\xff\xfe\xfd",
        b"first_name=%ff&&&&=&=%zz&email",
        b"email=" + b"%00" * 1000,
        b"first_name=" + b"\x00" * 100 + b"&privacy=on",
    ],
    ids=["raw-bytes-in-values", "raw-bytes-only", "broken-escapes", "nul-escapes", "raw-nul"],
)
def test_registration_form_survives_raw_bodies(meeting, db, hostile_client, body: bytes):
    url = reverse("registrations:register", args=[meeting.pk])
    response = hostile_client.post(url, body, content_type=FORM)
    html = assert_safe(response, Payload("raw", ""), where="register (raw body)")
    assert response.status_code != 302
    assert_clear_error(response, html, where="register (raw body)")
