"""An email the SMTP server accepted is recorded as sent even if the database blinks at that moment (no resend)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.models.query import QuerySet

from registrations import outbox
from registrations.models import OutboundEmail
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def queued_email() -> OutboundEmail:
    registration = RegistrationFactory(status="waitlisted")
    return outbox.email_enqueue(
        to=registration.email,
        template="waitlisted",
        context={"registration_id": registration.pk, "position": 1},
        language="it",
        registration_id=registration.pk,
    )


def flaky_update(failures: int):
    """QuerySet.update that raises OperationalError on the first `failures` attempts to mark a row sent."""
    real_update = QuerySet.update
    calls = {"failed": 0}

    def update(self, **kwargs):
        if kwargs.get("status") == OutboundEmail.Status.SENT and calls["failed"] < failures:
            calls["failed"] += 1
            raise OperationalError("terminating connection due to administrator command")
        return real_update(self, **kwargs)

    return update, calls


def test_sent_is_recorded_after_a_short_outage(monkeypatch):
    email = queued_email()
    update, calls = flaky_update(failures=2)
    monkeypatch.setattr(QuerySet, "update", update)
    monkeypatch.setattr(outbox.connection, "close", lambda: None)  # the test's transaction must survive
    monkeypatch.setattr(outbox.time, "sleep", lambda seconds: None)

    assert outbox.outbox_send(email_id=email.pk) == OutboundEmail.Status.SENT

    assert calls["failed"] == 2
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at is not None


def test_a_long_outage_still_raises(monkeypatch, settings):
    settings.OUTBOX_STALE_SECONDS = 4  # patience 2 s: attempts at 0, 1 and 2 s
    email = queued_email()
    update, calls = flaky_update(failures=100)
    monkeypatch.setattr(QuerySet, "update", update)
    monkeypatch.setattr(outbox.connection, "close", lambda: None)
    clock = {"now": 0.0}
    monkeypatch.setattr(outbox.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(outbox.time, "sleep", lambda seconds: clock.__setitem__("now", clock["now"] + seconds))

    with pytest.raises(OperationalError):
        outbox.outbox_send(email_id=email.pk)
    assert calls["failed"] == 3
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENDING  # left for the sweeper, which resends after it goes stale
