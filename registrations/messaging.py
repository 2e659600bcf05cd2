"""Messages staff write to the confirmed registrants of a meeting, sent through the registrations outbox."""

from __future__ import annotations

from django.db import transaction

from labs.models import Meeting
from registrations.models import Registration
from registrations.outbox import email_enqueue

TEMPLATE = "staff_message"


def message_recipients(meeting_ids: list[int]):
    return (
        Registration.objects.confirmed()
        .filter(meeting_id__in=meeting_ids)
        .select_related("meeting", "meeting__lab")
        .order_by("meeting_id", "last_name", "first_name")
    )


def message_context(*, registration: Registration, subject: str, body: str) -> dict:
    """Only primitives: the outbox renders the email when queued and keeps the text it sent."""
    meeting: Meeting = registration.meeting
    return {
        "subject": subject,
        "body": body,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "meeting_title": meeting.title,
        "lab_title": meeting.lab.title,
        "meeting_id": meeting.pk,
        "registration_id": registration.pk,
    }


@transaction.atomic
def meetings_message_confirmed(*, meeting_ids: list[int], subject: str, body: str) -> int:
    """Queue one email per confirmed registration of the given meetings; returns how many were queued."""
    count = 0
    for registration in message_recipients(meeting_ids):
        queued = email_enqueue(
            to=registration.email,
            template=TEMPLATE,
            context=message_context(registration=registration, subject=subject, body=body),
            language=registration.language,
            registration_id=registration.pk,
        )
        count += queued is not None  # an anonymised registrant (GDPR) is not written to
    return count
