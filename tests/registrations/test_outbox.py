"""Outbox delivery (registrations/outbox.py) against a real local SMTP server (aiosmtpd) answering 250, 4xx or 5xx."""

from __future__ import annotations

import datetime
import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from registrations import outbox
from registrations.models import OutboundEmail
from registrations.tasks import send_email, sweep_outbox
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


class Handler:
    """Answers DATA with `reply` and records what was accepted."""

    def __init__(self) -> None:
        self.reply = "250 Message accepted for delivery"
        self.accepted: list = []

    async def handle_DATA(self, server, session, envelope):
        if self.reply.startswith("250"):
            self.accepted.append(message_from_bytes(envelope.content))
        return self.reply


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


def queued(**fields) -> OutboundEmail:
    """A "confirmed" email of a real registration, as the services queue it (primitives, .ics made when sent)."""
    registration = RegistrationFactory(email=fields.get("to", "persona@comune.example.it"), status="confirmed")
    defaults = {
        "to": registration.email,
        "template": "confirmed",
        "context": {"registration_id": registration.pk},
        "registration": registration,
        "attachments": [{"kind": "registration_ics"}],
    }
    defaults.update(fields)
    return OutboundEmail.objects.create(**defaults)


def test_it_sends_a_queued_email_once_even_if_the_task_runs_twice(smtp):
    email = queued()
    assert send_email(email.pk) == "sent"
    assert send_email(email.pk) == "skipped"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 1, "")
    assert email.sent_at is not None
    assert len(smtp.accepted) == 1
    message = smtp.accepted[0]
    assert message["To"] == "persona@comune.example.it"
    assert message["Message-ID"].startswith(f"<outbox-{email.pk}-")
    # The calendar file, then the check-in QR code (tests/registrations/test_checkin.py).
    assert [part.get_content_type() for part in message.walk()][-2:] == ["text/calendar", "image/png"]
    # What was sent is kept on the row for the admin.
    assert email.subject == f"Iscrizione confermata: {email.registration.meeting.title}"
    assert "Link per partecipare online" not in email.body_text  # an in-person meeting


def test_a_4xx_answer_is_retried_with_backoff_then_delivered(smtp):
    smtp.reply = "451 Requested action aborted: local error in processing"
    email = queued()
    before = timezone.now()
    assert send_email(email.pk) == "retry"
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 1)
    assert "451" in email.last_error
    assert email.next_attempt_at >= before + datetime.timedelta(seconds=60)
    # Not due yet: another run does nothing.
    assert send_email(email.pk) == "skipped"
    # Second failure: the delay doubles.
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    before = timezone.now()
    assert send_email(email.pk) == "retry"
    email.refresh_from_db()
    assert email.next_attempt_at >= before + datetime.timedelta(seconds=120)
    # The server recovers; once due, the email goes out, once.
    smtp.reply = "250 OK"
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert send_email(email.pk) == "sent"
    assert len(smtp.accepted) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 3, "")


def test_a_5xx_answer_marks_the_email_failed_without_retry(smtp):
    smtp.reply = "550 5.1.1 Mailbox unavailable"
    email = queued()
    assert send_email(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == "failed"
    assert "550" in email.last_error
    assert send_email(email.pk) == "skipped"
    assert sweep_outbox() == 0


def test_an_unreachable_smtp_server_is_transient(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_USE_TLS = False
    email = queued()
    assert send_email(email.pk) == "retry"
    email.refresh_from_db()
    assert email.status == "queued"
    assert "ConnectionRefusedError" in email.last_error


def test_after_max_attempts_a_transient_error_becomes_failed(smtp):
    smtp.reply = "421 Service not available"
    email = queued(attempts=outbox.MAX_ATTEMPTS - 1)
    assert send_email(email.pk) == "failed"


def test_the_sweeper_resends_rows_left_queued_and_rows_of_dead_workers(smtp, settings):
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 0
    left_queued = queued(to="a@comune.example.it")
    stale = queued(to="b@comune.example.it", status="sending", attempts=1)
    OutboundEmail.objects.filter(pk=stale.pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=10))
    in_flight = queued(to="c@comune.example.it", status="sending", attempts=1, claimed_at=timezone.now())
    assert sweep_outbox() == 2
    statuses = dict(OutboundEmail.objects.values_list("to", "status"))
    assert statuses == {"a@comune.example.it": "sent", "b@comune.example.it": "sent", "c@comune.example.it": "sending"}
    assert sorted(m["To"] for m in smtp.accepted) == ["a@comune.example.it", "b@comune.example.it"]
    assert left_queued.pk != in_flight.pk


def test_a_fresh_row_is_left_to_its_own_task_by_the_sweeper(smtp):
    queued()
    assert sweep_outbox() == 0


def test_staff_can_requeue_a_failed_email(smtp, django_capture_on_commit_callbacks):
    email = queued(status="failed", attempts=1, last_error="550 no such user")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_requeue(email_ids=[email.pk]) == 1
    email.refresh_from_db()
    assert email.status == "sent"
    assert len(smtp.accepted) == 1


def test_email_enqueue_writes_the_row_and_sends_only_after_commit(smtp, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(status="waitlisted")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = outbox.email_enqueue(
            to=registration.email,
            template="waitlisted",
            context={"registration_id": registration.pk, "position": 4},
            language="it",
            registration_id=registration.pk,
        )
        assert (email.status, email.subject) == ("queued", f"Sei in lista d'attesa: {registration.meeting.title}")
        assert smtp.accepted == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(smtp.accepted) == 1
    assert "in posizione 4" in smtp.accepted[0].get_payload()[0].get_payload(decode=True).decode()


def test_an_email_whose_registration_was_erased_fails_without_retry(smtp):
    email = queued()
    email.registration.emails.update(registration=None)
    email.registration.delete()
    assert send_email(email.pk) == "failed"
    email.refresh_from_db()
    assert "no longer exists" in email.last_error
    assert smtp.accepted == []


def test_rows_queued_without_rendering_are_rendered_by_the_worker(smtp):
    registration = RegistrationFactory(status="waitlisted")
    email = outbox.email_enqueue(
        to=registration.email,
        template="waitlisted",
        context={"registration_id": registration.pk, "position": 2},
        language="it",
        registration_id=registration.pk,
        render_now=False,
    )
    assert (email.subject, email.body_text) == ("", "")
    assert send_email(email.pk) == "sent"
    email.refresh_from_db()
    assert email.subject == f"Sei in lista d'attesa: {registration.meeting.title}"
    assert "in posizione 2." in email.body_text
