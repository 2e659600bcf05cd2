"""What an outbox row becomes when it is sent: its template context and attachments, rebuilt from the primitives
stored on the row (the registration, its meeting and lab, the calendar file), in the worker rather than the request."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.templatetags.portal import time_range
from labs.models import Meeting, Venue

from .checkin import checkin_available, checkin_code, checkin_qr_attachment
from .ics import ics_attachment
from .models import OutboundEmail, Registration

# Emails that carry the check-in QR code (a PNG attachment) of a confirmed registration.
CHECKIN_QR_TEMPLATES = frozenset({"confirmed"})


class PermanentError(Exception):
    """The email can never be sent as it is (e.g. its registration was erased): mark it failed, do not retry."""


def expand_context(email: OutboundEmail) -> tuple[dict, list[dict[str, str]]]:
    """The template context and attachments of an outbox row, built when it is sent (outbox.render_row)."""
    context = dict(email.context)
    attachments: list[dict[str, str]] = []
    registration = None
    if context.get("registration_id") is not None:
        registration = (
            Registration.objects.select_related("meeting", "meeting__lab", "meeting__venue")
            .filter(pk=context["registration_id"])
            .first()
        )
        if registration is None:
            raise PermanentError("the registration of this email no longer exists")
        context.update(
            registration=registration,
            meeting=registration.meeting,
            lab=registration.meeting.lab,
            # The online link is private: only people whose place is confirmed (now, at sending time) and who attend
            # online receive it (a hybrid meeting's in-person attendees get the address and access notes instead).
            show_link=registration.status == Registration.Status.CONFIRMED and registration.attends_online,
        )
        if context.get("mode_switched"):
            # Rows queued before the mode was stored on them: the registration's mode now.
            context.setdefault("new_mode", registration.attendance_mode)
    if "batch_ids" in context:
        by_pk = Registration.objects.select_related("meeting", "meeting__lab", "meeting__venue").in_bulk(
            context["batch_ids"]
        )
        context["batch"] = [by_pk[pk] for pk in context["batch_ids"] if pk in by_pk]
    if "changed_fields" in context:
        context["changed"] = [str(Meeting._meta.get_field(name).verbose_name) for name in context["changed_fields"]]
        if registration is not None:
            context["changes"] = meeting_changes(
                registration.meeting, context["changed_fields"], context.get("meeting_sequence")
            )
    for item in email.attachments:
        if item.get("kind") == "registration_ics":
            attachment = ics_attachment(registration) if registration is not None else None
            if attachment is not None:  # no file for a meeting without a date or a registration without a seat
                attachments.append(attachment)
        elif item.get("kind") == "stored_file":
            # A staff message's attachment (registrations/messaging.py): read from the media storage when sent, so
            # the row stores a name, not the file, however many people the message goes to.
            try:
                with default_storage.open(item["name"], "rb") as file:
                    content = file.read()
            except FileNotFoundError as missing:
                raise PermanentError("the attachment of this email is no longer in the media storage") from missing
            attachments.append({"filename": item["filename"], "content": content, "mimetype": item["mimetype"]})
        else:
            attachments.append(item)
    if email.template in CHECKIN_QR_TEMPLATES and registration is not None and checkin_available(registration):
        # The QR code to show at the door, as an attached PNG (mail clients block data: images and render inline
        # parts unevenly) and its code in the text (registrations/checkin.py).
        context["checkin_code"] = checkin_code(registration.pk)
        attachments.append(checkin_qr_attachment(registration.pk))
    return context, attachments


def _when(starts_at, ends_at) -> str:
    """As the emails' meeting block writes it (emails/includes/meeting.txt): date, then the time range."""
    if starts_at is None:
        return _("data da definire")
    return f"{formats.date_format(timezone.localtime(starts_at), 'DATE_FORMAT')}, {time_range(starts_at, ends_at)}"


def meeting_changes(meeting: Meeting, fields: list[str], sequence: int | None) -> list[dict[str, str]]:
    """What a "meeting changed" email lists, in the recipient's language: [{label, old, new}], old empty when not
    known (no history of the meeting before this change) or not for the email (the online link is private).

    The values are read from the meeting's history (simple_history), before and at the calendar revision of the
    change (`sequence`, stored when the email was queued): the email says what this change did, even if the meeting
    was edited again before the worker sent it. Rows queued without a revision fall back to the meeting as it is."""
    before = after = None
    if sequence is not None:
        history = meeting.history.order_by("-history_date", "-history_id")
        after = history.filter(sequence=sequence).first()
        before = history.filter(sequence__lt=sequence).first()
    after = after or meeting
    changes: list[dict[str, str]] = []
    if "starts_at" in fields or "ends_at" in fields:
        changes.append(
            {
                "label": _("Data e orario"),
                "old": _when(before.starts_at, before.ends_at) if before else "",
                "new": _when(after.starts_at, after.ends_at),
            }
        )
    if "venue" in fields:
        venues = Venue.objects.in_bulk([pk for pk in (after.venue_id, before and before.venue_id) if pk])
        changes.append(
            {
                "label": _("Sede"),
                "old": str(venues.get(before.venue_id) or _("nessuna sede")) if before else "",
                "new": str(venues.get(after.venue_id) or _("nessuna sede")),
            }
        )
    if "format" in fields:
        changes.append(
            {
                "label": _("Modalità"),
                "old": str(Meeting.Format(before.format).label) if before else "",
                "new": str(Meeting.Format(after.format).label),
            }
        )
    if "online_url" in fields:
        changes.append({"label": _("Link per partecipare online"), "old": "", "new": _("è cambiato")})
    if "cancelled" in fields and not after.cancelled:
        changes.append({"label": _("Annullamento"), "old": "", "new": _("revocato: l'incontro si terrà")})
    return changes
