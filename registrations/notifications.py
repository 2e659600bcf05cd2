"""Which email a registration event sends, with which context. Called inside the services' transactions, so every
email is an outbox row committed together with the change it announces. None when the address is anonymised (the
outbox queues nothing to it)."""

from __future__ import annotations

from collections.abc import Sequence

from .models import OutboundEmail, Registration
from .outbox import email_enqueue


def waitlist_position(registration: Registration) -> int:
    """1-based position in the waiting list of the meeting's attendance mode (arrival order: created_at, then pk)."""
    ahead = (
        Registration.objects.filter(
            meeting_id=registration.meeting_id,
            attendance_mode=registration.attendance_mode,
            status=Registration.Status.WAITLISTED,
        )
        .filter(created_at__lte=registration.created_at)
        .exclude(created_at=registration.created_at, pk__gte=registration.pk)
        .count()
    )
    return ahead + 1


def _send(registration: Registration, template: str, *, with_ics: bool = False, **extra) -> OutboundEmail | None:
    return email_enqueue(
        to=registration.email,
        template=template,
        context={"registration_id": registration.pk, **extra},
        language=registration.language,
        registration_id=registration.pk,
        attachments=[{"kind": "registration_ics"}] if with_ics else None,
        render_now=False,  # called under the meeting lock: the worker renders (see outbox.email_enqueue)
    )


def notify_status(
    registration: Registration, *, promoted: bool = False, position: int | None = None
) -> OutboundEmail | None:
    """The email matching the registration's current status (also used to re-send it on a duplicate submission).

    `position`: the waiting-list position when the caller has already counted it in this transaction."""
    status = registration.status
    if promoted:
        return _send(registration, "promoted", with_ics=status == Registration.Status.CONFIRMED)
    if status == Registration.Status.PENDING:
        return _send(registration, "confirm_address", batch_ids=[registration.pk])
    if status == Registration.Status.CONFIRMED:
        return _send(registration, "confirmed", with_ics=True)
    if status == Registration.Status.WAITLISTED:
        if position is None:
            position = waitlist_position(registration)
        return _send(registration, "waitlisted", position=position)
    raise ValueError(f"no email for status {status}")


def notify_mode_switched(registration: Registration) -> OutboundEmail | None:
    """The person changed attendance mode: the email of their status again, its subject and first lines saying the
    new mode (kept on the row: the email says the mode chosen in this switch even if another follows before it is
    sent), with the address for the room or the link for online (the link only once the place is confirmed)."""
    switched = {"mode_switched": True, "new_mode": registration.attendance_mode}
    if registration.status == Registration.Status.CONFIRMED:
        return _send(registration, "confirmed", with_ics=True, **switched)
    return _send(registration, "confirm_address", batch_ids=[registration.pk], **switched)


def notify_batch_pending(registrations: Sequence[Registration]) -> OutboundEmail | None:
    """One "confirm your address" email for several meetings registered in one submission: one link confirms all."""
    first = registrations[0]
    return _send(first, "confirm_address", batch_ids=[r.pk for r in registrations])


def notify_cancelled(registration: Registration, *, by_person: bool = False) -> OutboundEmail | None:
    """Staff cancelled the registration (the person is told), or the person did (`by_person`: their receipt)."""
    return _send(registration, "registration_cancelled", by_person=by_person)


def notify_meeting_change(registration: Registration, *, changed_fields: list[str]) -> OutboundEmail | None:
    meeting = registration.meeting
    if meeting.cancelled:
        return _send(registration, "meeting_cancelled")
    return _send(
        registration,
        "meeting_changed",
        with_ics=registration.status == Registration.Status.CONFIRMED,
        changed_fields=changed_fields,
        # The meeting's calendar revision after this change (labs.Meeting.save bumps it for every notice field): the
        # email finds the values before and after it in the meeting's history when it is sent (email_context).
        meeting_sequence=meeting.sequence,
    )


def notify_reminder(registration: Registration) -> OutboundEmail | None:
    return _send(registration, "reminder", with_ics=True)
