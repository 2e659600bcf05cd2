"""Redis unreachable while people register: nothing is lost, nobody waits, the email leaves once Redis is back.

Eager mode is switched off here so that the real publish path runs: first against a closed port ("Redis down"), then
against the CI Redis (REDIS_URL) with an in-process Celery worker. Without REDIS_URL (plain SQLite runs) "Redis is
back" is simulated with eager mode, which still exercises the sweeper.
"""

from __future__ import annotations

import os
import socket
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from registrations import outbox
from registrations.models import OutboundEmail, Registration
from tests.factories import MeetingFactory

from .conftest import person


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # released on close: nothing listens there


def use_broker(app, url: str) -> None:
    """Point the Celery app at another broker, dropping its pooled connections to the old one."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(eager_celery):
    app = eager_celery
    original = app.conf.broker_url
    app.conf.task_always_eager = False
    yield app
    use_broker(app, original)


def form(n: int = 1) -> dict:
    data = person(n)
    data["privacy"] = "on"
    return data


@pytest.mark.django_db(transaction=True)
def test_registration_succeeds_at_once_while_redis_is_down_and_the_email_leaves_when_it_returns(
    broker, client, settings, caplog
):
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 0
    use_broker(broker, f"redis://127.0.0.1:{closed_port()}/0")
    meeting = MeetingFactory(capacity=5)

    response = client.post(reverse("registrations:register", args=[meeting.pk]), form(1))

    # The person is registered and told so; the publish failed fast and was only logged.
    assert response.status_code == 302
    assert response.url == reverse("registrations:result")
    registration = Registration.objects.get()
    assert registration.status == "pending"
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts, email.template) == ("queued", 0, "confirm_address")
    assert "could not publish send_email" in caplog.text
    assert mail.outbox == []
    # A second registration during the outage does not even try the broker again (circuit open): same outcome.
    assert client.post(reverse("registrations:register", args=[meeting.pk]), form(2)).status_code == 302
    assert OutboundEmail.objects.filter(status="queued").count() == 2

    # The sweeper while Redis is still down: nothing published, nothing lost.
    assert outbox.outbox_sweep() == []

    # Redis returns.
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        use_broker(broker, redis_url)
        with start_worker(broker, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert len(outbox.outbox_sweep()) == 2
            deadline = time.monotonic() + 20
            while OutboundEmail.objects.filter(status="sent").count() < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
    else:
        broker.conf.task_always_eager = True
        assert len(outbox.outbox_sweep()) == 2

    assert sorted(OutboundEmail.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert sorted(m.to[0] for m in mail.outbox) == ["persona1@comune.example.it", "persona2@comune.example.it"]
    # Sweeping again sends nothing twice.
    assert outbox.outbox_sweep() == []
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_with_redis_up_the_email_goes_through_a_real_worker(broker, client):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("needs Redis (set REDIS_URL)")
    use_broker(broker, redis_url)
    meeting = MeetingFactory()
    with start_worker(broker, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert client.post(reverse("registrations:register", args=[meeting.pk]), form(1)).status_code == 302
        deadline = time.monotonic() + 20
        while not OutboundEmail.objects.filter(status="sent").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert list(OutboundEmail.objects.values_list("status", flat=True)) == ["sent"]
    assert [m.subject for m in mail.outbox] == [f"Conferma la tua iscrizione: {meeting.title}"]
