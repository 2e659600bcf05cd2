"""Registrations admin: staff actions go through the services; the outbox shows failures and can re-queue them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def act(client, action: str, pks: list[int], **extra):
    data = {"action": action, "_selected_action": [str(pk) for pk in pks], **extra}
    return client.post(reverse("admin:registrations_registration_changelist"), data, follow=True)


def test_cancel_action_promotes_and_tells_the_person(admin_client, register):
    meeting = MeetingFactory(capacity=1)
    first = register(meeting, 1).registration
    second = register(meeting, 2).registration
    response = act(admin_client, "cancel_selected", [first.pk])
    assert "Iscrizioni annullate: 1." in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "pending")
    assert OutboundEmail.objects.filter(to=first.email, template="registration_cancelled").count() == 1


def test_confirm_action(admin_client, register):
    registration = register(MeetingFactory()).registration
    act(admin_client, "confirm_selected", [registration.pk])
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_move_action_asks_the_target_then_moves(admin_client, register):
    lab = LabFactory()
    source, target = MeetingFactory(lab=lab), MeetingFactory(lab=lab)
    registration = register(source).registration
    assert "Sposta all&#x27;incontro" in act(admin_client, "move_selected", [registration.pk]).content.decode()
    response = act(admin_client, "move_selected", [registration.pk], meeting=str(target.pk), apply="1")
    assert f"Iscrizioni spostate a «{escape(target)}»: 1." in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).meeting_id == target.pk


def test_outbox_lists_failed_emails_and_requeues_them(admin_client, django_capture_on_commit_callbacks):
    registration = RegistrationFactory()
    failed = OutboundEmail.objects.create(
        to=registration.email,
        template="confirmed",
        context={"registration_id": registration.pk},
        registration=registration,
        status="failed",
        attempts=1,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    url = reverse("admin:registrations_outboundemail_changelist")
    html = admin_client.get(url, {"status__exact": "failed"}).content.decode()
    assert registration.email in html
    assert "SMTPRecipientsRefused: 550 mailbox unavailable" in html
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "requeue", "_selected_action": [str(failed.pk)]}, follow=True)
    failed.refresh_from_db()
    assert failed.status == "sent"  # eager Celery in tests: re-queued, then sent by the locmem backend
    assert admin_client.get(reverse("admin:registrations_outboundemail_change", args=[failed.pk])).status_code == 200


@pytest.mark.parametrize("people", [3, 30])
def test_registration_changelist_query_count_is_flat(admin_client, django_assert_num_queries, people):
    for _ in range(people):
        RegistrationFactory()  # each on its own meeting and lab: the worst case for the meeting filter
    url = reverse("admin:registrations_registration_changelist")
    admin_client.get(url)  # warm the session and content types
    with django_assert_num_queries(10):
        response = admin_client.get(url)
    assert response.status_code == 200
