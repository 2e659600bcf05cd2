"""Registrations admin: staff actions go through the services; the outbox shows failures and can re-queue them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory
from tests.support.forms import form_data

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


# --- A registration's status changes only through the actions ---------------------------------------------------------
def test_the_change_form_shows_the_status_and_meeting_read_only(admin_client, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(capacity=1)
    seated = RegistrationFactory(meeting=meeting, first_name="Anna", email="anna@example.it")
    waiting = RegistrationFactory(meeting=meeting, email="bruno@example.it", status=Registration.Status.WAITLISTED)
    url = reverse("admin:registrations_registration_change", args=[seated.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="meeting"' not in page
    assert "confermata" in page
    data = form_data(page, "registration_form", first_name="Annalisa", status="cancelled", meeting=str(meeting.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert (seated.first_name, seated.status, waiting.status) == ("Annalisa", "confirmed", "waitlisted")
    assert OutboundEmail.objects.count() == 0


def test_staff_add_registrations_only_through_the_service_form(admin_client):
    """ "Aggiungi iscrizione" is the on-behalf form of admin_checkin.py (the service decides status and seats), never
    the model form with its status field (tests/registrations/test_checkin.py)."""
    page = admin_client.get(reverse("admin:registrations_registration_add")).content.decode()
    assert 'name="override_reason"' in page
    assert 'name="status"' not in page


def test_promote_action_seats_a_waiting_person_when_a_seat_is_free(admin_client):
    meeting = MeetingFactory(capacity=2)
    RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(
        meeting=meeting, email="bruno@example.it", status=Registration.Status.WAITLISTED, confirmed_at=None
    )
    response = act(admin_client, "promote_selected", [waiting.pk])
    assert "Iscrizioni passate dalla lista d&#x27;attesa agli iscritti: 1." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "pending"  # seated with a hold: the address is still to be confirmed
    assert list(OutboundEmail.objects.values_list("to", "template")) == [("bruno@example.it", "promoted")]


def test_promote_action_refuses_when_the_meeting_is_full(admin_client):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(
        meeting=meeting, first_name="Bruno", last_name="Bianchi", status=Registration.Status.WAITLISTED
    )
    response = act(admin_client, "promote_selected", [waiting.pk])
    assert (
        "Bruno Bianchi: Non ci sono posti liberi: aumenta i posti dell&#x27;incontro (la lista d&#x27;attesa "
        "avanza in ordine di arrivo) oppure annulla prima un&#x27;iscrizione."
    ) in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
    assert OutboundEmail.objects.count() == 0


# --- Deleting is a superuser's separate action ------------------------------------------------------------------------
def _action_values(page: str) -> list[str]:
    select = page.split('name="action"', 1)[1].split("</select>", 1)[0]
    return [part.split('"', 1)[0] for part in select.split('value="')[1:]]


def test_delete_is_a_separate_superuser_action_listed_away_from_cancel(admin_client, client, secretary):
    RegistrationFactory()
    url = reverse("admin:registrations_registration_changelist")
    actions = _action_values(admin_client.get(url).content.decode())
    assert "delete_selected" not in actions
    assert actions[-1] == "delete_permanently"
    assert actions.index("delete_permanently") - actions.index("cancel_selected") > 1
    page = admin_client.get(url).content.decode()
    assert "Elimina definitivamente (solo amministratori) le iscrizioni selezionate" in page
    # Staff with the delete permission but not superusers: no delete action, no delete link, no delete page.
    secretary.user_permissions.add(Permission.objects.get(codename="delete_registration"))
    client.force_login(secretary)
    registration = Registration.objects.get()
    actions = _action_values(client.get(url).content.decode())
    assert "delete_selected" not in actions and "delete_permanently" not in actions
    assert "cancel_selected" in actions
    change = client.get(reverse("admin:registrations_registration_change", args=[registration.pk])).content.decode()
    assert reverse("admin:registrations_registration_delete", args=[registration.pk]) not in change
    assert client.get(reverse("admin:registrations_registration_delete", args=[registration.pk])).status_code == 403
    change = admin_client.get(
        reverse("admin:registrations_registration_change", args=[registration.pk])
    ).content.decode()
    assert reverse("admin:registrations_registration_delete", args=[registration.pk]) in change


def test_delete_permanently_confirms_then_deletes_and_promotes_the_waiting_list(
    admin_client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(capacity=1)
    doomed = RegistrationFactory(meeting=meeting, email="prova@example.it")
    waiting = RegistrationFactory(meeting=meeting, email="bruno@example.it", status=Registration.Status.WAITLISTED)
    page = act(admin_client, "delete_permanently", [doomed.pk]).content.decode()
    assert "L&#x27;operazione non si può annullare." in page
    assert Registration.objects.filter(pk=doomed.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "delete_permanently", [doomed.pk], apply="1")
    assert "1 iscrizione eliminata." in response.content.decode()
    assert not Registration.objects.filter(pk=doomed.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status in {"pending", "confirmed"}
    assert list(OutboundEmail.objects.values_list("to", "template")) == [("bruno@example.it", "promoted")]
