"""Messages to a group of a meeting's registrants (registrations/messaging.py) through the meetings admin action
"Scrivi agli iscritti": the groups, the preview that is the email itself, an attachment carried from the preview to
the sending step, and the per-meeting log shown on the meeting's page."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from registrations.messaging import message_recipients
from registrations.models import OutboundEmail, Registration, StaffMessage
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:labs_meeting_changelist")
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="Primo incontro",
        lab=LabFactory(title="Lab Welfare"),
        starts_at=timezone.now() - datetime.timedelta(days=1),
        capacity=2,
    )
    RegistrationFactory(meeting=meeting, first_name="Anna", last_name="Verdi", email="anna@example.it", attended=True)
    RegistrationFactory(meeting=meeting, first_name="Bruno", last_name="Bianchi", email="bruno@example.it")
    RegistrationFactory(
        meeting=meeting, first_name="Carla", last_name="Neri", email="carla@example.it",
        status=Registration.Status.WAITLISTED,
    )  # fmt: skip
    RegistrationFactory(
        meeting=meeting, first_name="Dario", last_name="Gialli", email="dario@example.it",
        status=Registration.Status.PENDING,
    )  # fmt: skip
    RegistrationFactory(
        meeting=meeting, first_name="Elena", last_name="Rossi", email="elena@example.it",
        status=Registration.Status.CANCELLED,
    )  # fmt: skip
    return meeting


@pytest.mark.parametrize(
    ("audience", "names"),
    [
        ("confirmed", ["Bianchi", "Verdi"]),
        ("pending", ["Gialli"]),
        ("waitlisted", ["Neri"]),
        ("attended", ["Verdi"]),
        ("absent", ["Bianchi"]),
        ("active", ["Bianchi", "Gialli", "Neri", "Verdi"]),
    ],
)
def test_each_group_is_exactly_who_it_says(meeting, audience, names):
    assert [r.last_name for r in message_recipients([meeting.pk], audience)] == names


def _post(client, meeting, **data):
    return client.post(
        CHANGELIST, {"action": "email_confirmed", "_selected_action": [meeting.pk], "audience": "absent", **data}
    )


def test_preview_is_the_email_then_send_with_the_attachment_and_a_log(
    secretary_client, secretary, meeting, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("programma.pdf", PDF, content_type="application/pdf")
    preview = _post(
        secretary_client, meeting, subject="Le slide", body="Ecco le slide dell'incontro.", preview="1",
        attachment=upload,
    )  # fmt: skip
    page = preview.content.decode()
    assert "Il messaggio sarà inviato a 1 persona." in page
    assert "Gentile Bruno Bianchi," in page  # the greeting the email adds: the preview is the email
    assert "Allegati: programma.pdf" in page
    ref = preview.context["form"].data["attachment_ref"]
    assert ref.endswith(":" + ref.split(":")[-1]) and "programma.pdf" in ref
    assert OutboundEmail.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        sent = _post(
            secretary_client, meeting, subject="Le slide", body="Ecco le slide dell'incontro.", apply="1",
            attachment_ref=ref,
        )  # fmt: skip
    assert sent.status_code == 302
    email = OutboundEmail.objects.get()
    email.refresh_from_db()
    assert (email.to, email.status, email.subject) == ("bruno@example.it", OutboundEmail.Status.SENT, "Le slide")
    message = mail.outbox[-1]
    assert message.to == ["bruno@example.it"]
    assert [(name, content, mimetype) for name, content, mimetype in message.attachments] == [
        ("programma.pdf", PDF, "application/pdf")
    ]
    log = StaffMessage.objects.get()
    assert (log.meeting, log.audience, log.subject, log.sent_by) == (meeting, "absent", "Le slide", secretary)
    assert log.attachment.name.endswith("/programma.pdf")
    assert list(log.emails.all()) == [email]

    change = secretary_client.get(reverse("admin:labs_meeting_change", args=[meeting.pk])).content.decode()
    log_url = reverse("admin:registrations_staffmessage_changelist") + f"?meeting__id__exact={meeting.pk}"
    assert f'<a href="{log_url}">Messaggi inviati</a>' in change.replace("&amp;", "&")
    changelist = secretary_client.get(log_url).content.decode()
    assert "Le slide" in changelist and "confermati ma assenti" in changelist
    detail = secretary_client.get(reverse("admin:registrations_staffmessage_change", args=[log.pk])).content.decode()
    assert "bruno@example.it (inviata)" in detail


def test_a_tampered_attachment_reference_is_refused(secretary_client, meeting):
    response = _post(
        secretary_client, meeting, subject="x", body="y", apply="1", attachment_ref="messaggi/altro.pdf:forged"
    )
    assert response.status_code == 200
    assert "L&#x27;allegato non è più disponibile: caricalo di nuovo." in response.content.decode()
    assert OutboundEmail.objects.count() == 0 and StaffMessage.objects.count() == 0


def test_a_file_that_is_not_a_document_is_refused(secretary_client, meeting):
    upload = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = _post(secretary_client, meeting, subject="x", body="y", preview="1", attachment=upload)
    assert "Il contenuto del file non corrisponde alla sua estensione." in response.content.decode()
    assert StaffMessage.objects.count() == 0


def test_waiting_list_message_goes_only_to_those_waiting(admin_client, meeting):
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "email_confirmed",
            "_selected_action": [meeting.pk],
            "audience": "waitlisted",
            "subject": "Lista d'attesa",
            "body": "Vi avvisiamo appena si libera un posto.",
            "apply": "1",
        },
    )
    assert response.status_code == 302
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["carla@example.it"]
    assert StaffMessage.objects.get().sent_by.username == "admin"
