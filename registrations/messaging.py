"""Messages staff write to a group of a meeting's registrants (confirmed, pending, waiting, present, absent...), with an
optional attachment, sent through the registrations outbox and logged per meeting (StaffMessage).

The preview staff see is the email itself: the same template rendered for the first recipient by the same function
the worker uses (outbox.render_row), not a second rendering of the text.
"""

from __future__ import annotations

import mimetypes

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet

from labs.models import Meeting
from registrations.models import ACTIVE, OutboundEmail, Registration, StaffMessage
from registrations.outbox import email_enqueue, render_row

TEMPLATE = "staff_message"
Audience = StaffMessage.Audience


# Each group staff can write to, as a filter on the meeting's registrations (HOLDS_SEAT/ACTIVE stay the one definition).
AUDIENCE_FILTERS: dict[str, Q] = {
    Audience.CONFIRMED: Q(status=Registration.Status.CONFIRMED),
    Audience.PENDING: Q(status=Registration.Status.PENDING),
    Audience.WAITLISTED: Q(status=Registration.Status.WAITLISTED),
    Audience.ATTENDED: Q(attended=True),
    Audience.ABSENT: Q(status=Registration.Status.CONFIRMED, attended=False),
    Audience.ACTIVE: Q(status__in=ACTIVE),
}


def message_recipients(meeting_ids: list[int], audience: str = Audience.CONFIRMED) -> QuerySet[Registration]:
    """The registrations of these meetings in the chosen group, in the order of the sign-in sheet."""
    return (
        Registration.objects.filter(AUDIENCE_FILTERS[audience], meeting_id__in=meeting_ids)
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


def stored_attachment(name: str) -> list[dict[str, str]]:
    """The outbox entry of a file saved in the media storage: read when the email is sent (email_context.py)."""
    if not name:
        return []
    filename = name.rsplit("/", 1)[-1]
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return [{"kind": "stored_file", "name": name, "filename": filename, "mimetype": mimetype}]


def _email(registration: Registration, *, subject: str, body: str, attachment: str) -> OutboundEmail:
    return OutboundEmail(
        to=registration.email,
        template=TEMPLATE,
        language=registration.language,
        context=message_context(registration=registration, subject=subject, body=body),
        attachments=stored_attachment(attachment),
        registration_id=registration.pk,
    )


def message_preview(*, meeting_ids: list[int], audience: str, subject: str, body: str, attachment: str = "") -> dict:
    """How many people get the message and, for the first of them, exactly the subject, text and attachment names
    the worker will send."""
    recipients = message_recipients(meeting_ids, audience)
    first = recipients.first()
    preview = {"recipients": recipients.count(), "subject": subject, "body": body, "attachments": []}
    if first is not None:
        preview["subject"], preview["body"], _html, files = render_row(
            _email(first, subject=subject, body=body, attachment=attachment)
        )
        preview["attachments"] = [item["filename"] for item in files]
    return preview


@transaction.atomic
def meetings_message(
    *, meeting_ids: list[int], audience: str, subject: str, body: str, attachment: str = "", sent_by_id: int | None
) -> int:
    """Queue one email per registration of the group, log one StaffMessage per meeting with its emails; returns how
    many emails were queued. ``attachment`` is the name of a file already in the media storage (or "")."""
    if attachment and not default_storage.exists(attachment):
        raise FileNotFoundError(attachment)
    logs: dict[int, StaffMessage] = {}
    sent: dict[int, list[OutboundEmail]] = {}
    for registration in message_recipients(meeting_ids, audience):
        log = logs.get(registration.meeting_id)
        if log is None:
            log = logs[registration.meeting_id] = StaffMessage.objects.create(
                meeting_id=registration.meeting_id,
                audience=audience,
                subject=subject,
                body=body,
                attachment=attachment,
                sent_by_id=sent_by_id,
            )
        email = _email(registration, subject=subject, body=body, attachment=attachment)
        queued = email_enqueue(
            to=email.to,
            template=email.template,
            context=email.context,
            language=email.language,
            registration_id=registration.pk,
            attachments=email.attachments,
        )
        if queued is not None:  # an anonymised registrant (GDPR) is not written to
            sent.setdefault(log.pk, []).append(queued)
    for log in logs.values():
        log.emails.add(*sent.get(log.pk, []))  # one insert per meeting, not one per person
    return sum(len(emails) for emails in sent.values())


def meetings_message_confirmed(*, meeting_ids: list[int], subject: str, body: str) -> int:
    """The confirmed registrants (kept for the callers that write to them only)."""
    return meetings_message(
        meeting_ids=meeting_ids, audience=Audience.CONFIRMED, subject=subject, body=body, sent_by_id=None
    )
