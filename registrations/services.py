"""Registration rules: capacity, waiting list, double opt-in, eligibility, in one place.

Every write that changes who holds a seat runs inside `locked_meetings()` (registrations/locking.py): it locks the
meeting rows, recounts the seats, then writes the registration and its outbox emails, all in one transaction
(pretalx submission/domain/signup.py). Errors the person must read are RegistrationRefused with an Italian message.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from labs.models import Meeting

from . import notifications
from .locking import RegistrationBusy, RegistrationRefused, locked_meetings
from .models import ACTIVE, HOLDS_SEAT, PUBLIC_ADMINISTRATION_TYPES, Registration

__all__ = ["RegistrationBusy", "RegistrationRefused"]  # re-exported: callers import the errors from the services


@dataclass
class RegistrationResult:
    registration: Registration
    already_registered: bool = False
    waitlist_position: int | None = None

    @property
    def status(self) -> str:
        return self.registration.status


@dataclass
class LabRegistrationResult:
    results: list[RegistrationResult] = field(default_factory=list)
    refused: list[tuple[Meeting, str]] = field(default_factory=list)


# --- Rules ------------------------------------------------------------------------------------------------------------
def check_open(meeting: Meeting, now: datetime.datetime) -> None:
    """Raise RegistrationRefused with the sentence the person reads if registration is not possible now (the rule
    itself is Meeting.registration_closed_reason(); this wording is the registrations app's)."""
    reason = meeting.registration_closed_reason(now)
    if reason is None:
        return
    if reason == "not_open_yet":
        opens = timezone.localtime(meeting.registration_opens_at)
        message = _("Le iscrizioni a questo incontro apriranno il %(date)s alle %(time)s.") % {
            "date": date_format(opens, "DATE_FORMAT"),
            "time": date_format(opens, "TIME_FORMAT"),
        }
    else:
        message = {
            "cancelled": _("Questo incontro è stato annullato: non è possibile iscriversi."),
            "no_date": _(
                "La data di questo incontro non è ancora stata fissata: le iscrizioni non sono ancora aperte."
            ),
            "past": _("Questo incontro si è già svolto: non è più possibile iscriversi."),
            "closed": _("Le iscrizioni a questo incontro sono chiuse."),
            "unpublished": _("Questo incontro non esiste."),
        }[reason]
    raise RegistrationRefused(message, "not_found" if reason == "unpublished" else reason)


def check_eligible(meeting: Meeting, organization_type: str) -> None:
    if meeting.audience == Meeting.Audience.PUBLIC_ADMINISTRATIONS and organization_type not in (
        PUBLIC_ADMINISTRATION_TYPES
    ):
        raise RegistrationRefused(
            _(
                "Questo incontro è riservato alle pubbliche amministrazioni (Comuni, Province, Unioni di comuni, "
                "Regione e altri enti pubblici): il tipo di ente indicato non è ammesso."
            ),
            "not_eligible",
        )


def hold_until(meeting: Meeting, now: datetime.datetime) -> datetime.datetime:
    """A pending registration keeps its seat for REGISTRATION_HOLD_HOURS, but never past the meeting start."""
    until = now + datetime.timedelta(hours=settings.REGISTRATION_HOLD_HOURS)
    return min(until, meeting.starts_at) if meeting.starts_at else until


def _has_free_seat(meeting: Meeting, mode: str, held: Mapping[str, int]) -> bool:
    """Whether `mode` (in presenza / online) has a free seat, given the seats held per mode (_seat_counts)."""
    capacity = meeting.capacity_for(mode)
    return capacity is None or held.get(mode, 0) < capacity


def attendance_mode_for(meeting: Meeting, chosen: str | None) -> str:
    """The mode a new registration gets: the person's choice on a hybrid meeting (required), the meeting's one mode
    otherwise (whatever was sent). Raises RegistrationRefused when a hybrid meeting gets no valid choice."""
    if meeting.default_mode is not None:
        return meeting.default_mode
    if chosen in meeting.attendance_modes:
        return chosen
    raise RegistrationRefused(
        _("Questo incontro è sia in presenza sia online: scegli come vuoi partecipare."), "mode_required"
    )


def _expire_overdue(meeting: Meeting, now: datetime.datetime) -> None:
    """Unconfirmed holds past their time give their seat back (saved one by one for the audit trail)."""
    for registration in Registration.objects.filter(
        meeting=meeting, status=Registration.Status.PENDING, hold_expires_at__lte=now
    ):
        registration.status = Registration.Status.EXPIRED
        registration.hold_expires_at = None
        registration.save(update_fields=["status", "hold_expires_at", "updated_at"])


# The query every registration runs while holding the meeting lock, written in SQL for speed (docs/performance.md):
# compiling the ORM's filtered counts cost more than the database work, while every other registrant of the
# meeting waited for the lock. Same rules as the querysets: HOLDS_SEAT and waitlisted per attendance mode, pending holds
# past their time, and `email__iexact` as Django writes it on PostgreSQL (UPPER = UPPER). Pinned against the ORM in
# tests/registrations/test_services.py.
MODES = tuple(mode.value for mode in Meeting.Mode)
_HELD_IN = ", ".join(["%s"] * len(HOLDS_SEAT))
SEAT_COUNTS_SQL = f"""
    SELECT {", ".join([f"COUNT(CASE WHEN status IN ({_HELD_IN}) AND attendance_mode = %s THEN 1 END)"] * len(MODES))},
           {", ".join(["COUNT(CASE WHEN status = %s AND attendance_mode = %s THEN 1 END)"] * len(MODES))},
           COUNT(CASE WHEN status = %s AND hold_expires_at <= %s THEN 1 END),
           COUNT(CASE WHEN UPPER(email) = UPPER(%s) THEN 1 END)
    FROM registrations_registration
    WHERE meeting_id = %s
"""  # noqa: S608 - only placeholders are interpolated; every value is a parameter


def _seat_counts(meeting: Meeting, now: datetime.datetime, email: str = "") -> dict[str, Any]:
    """Seats held and people waiting per attendance mode ({mode: n}), overdue holds and rows with `email` (when
    given) of a meeting, in one query.

    A registration reads all it needs under the lock in one round trip instead of one query per question."""
    params = [
        *(value for mode in MODES for value in (*(status.value for status in HOLDS_SEAT), mode)),
        *(value for mode in MODES for value in (Registration.Status.WAITLISTED.value, mode)),
        Registration.Status.PENDING.value,
        connection.ops.adapt_datetimefield_value(now),
        email,
        meeting.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(SEAT_COUNTS_SQL, params)
        row = cursor.fetchone()
    n = len(MODES)
    return {
        "held": dict(zip(MODES, row[:n], strict=True)),
        "waiting": dict(zip(MODES, row[n : 2 * n], strict=True)),
        "overdue": row[2 * n],
        "same_email": row[2 * n + 1],
    }


def _fill_from_waitlist(
    meeting: Meeting, now: datetime.datetime, counts: Mapping[str, Any] | None = None
) -> tuple[dict[str, int], list[int]]:
    """Promote waitlisted people, first come first served within each attendance mode, while that mode has free
    seats (a seat freed in the room goes to the first person waiting for the room). Returns (held seats per mode,
    promoted ids).

    `counts` ("held", "waiting") may come from the caller when it has just read them under the same lock.
    Nobody is promoted into a meeting that is cancelled or has started: the email would only disappoint."""
    if counts is None:
        counts = _seat_counts(meeting, now)
    held, waiting = dict(counts["held"]), dict(counts["waiting"])
    promoted: list[int] = []
    if not any(waiting.values()) or meeting.cancelled or meeting.starts_at is None or meeting.starts_at <= now:
        return held, promoted
    for mode in meeting.attendance_modes:
        while waiting.get(mode) and _has_free_seat(meeting, mode, held):
            nxt = Registration.objects.filter(meeting=meeting, attendance_mode=mode).waitlisted().first()
            _seat(nxt, meeting, now)
            nxt.save(update_fields=["status", "hold_expires_at", "confirmed_at", "updated_at"])
            notifications.notify_status(nxt, promoted=True)
            promoted.append(nxt.pk)
            held[mode] = held.get(mode, 0) + 1
            waiting[mode] -= 1
    return held, promoted


def _seats_and_existing(
    meeting: Meeting, now: datetime.datetime, email: str
) -> tuple[dict[str, int], Registration | None]:
    """Seats held per mode after freeing overdue holds and promoting the waiting list, and the meeting's row of
    `email` if there is one (any status). Call with the meeting locked."""
    counts = _seat_counts(meeting, now, email)
    if counts["overdue"]:
        # Rare (the periodic job frees overdue holds too): free them, then count again before seating anybody.
        _expire_overdue(meeting, now)
        held, _promoted = _fill_from_waitlist(meeting, now)
    else:
        held, _promoted = _fill_from_waitlist(meeting, now, counts)
    # Most submissions are a new address: the row is read only when the counts say there is one.
    existing = (
        Registration.objects.filter(meeting=meeting, email__iexact=email).first() if counts["same_email"] else None
    )
    return held, existing


def _start_over(registration: Registration, now: datetime.datetime) -> None:
    """A cancelled or expired registration comes back as a new request: new token (old links die) and a new place
    in the arrival order (created_at is the arrival time the waiting list is ordered by)."""
    registration.token = Registration._meta.get_field("token").default()
    registration.created_at = now
    registration.cancelled_at = None
    registration.confirmed_at = None
    registration.reminder_sent_at = None
    # What belonged to the old request goes with it: attendance (a certificate!) and the secretariat's override.
    registration.attended = False
    registration.attended_at = None
    registration.registered_by = None
    registration.override_reason = ""


def _seat(registration: Registration, meeting: Meeting, now: datetime.datetime) -> None:
    """Give a seat: pending with a hold when the meeting asks for address confirmation, otherwise confirmed."""
    if meeting.requires_confirmation and registration.confirmed_at is None:
        registration.status = Registration.Status.PENDING
        registration.hold_expires_at = hold_until(meeting, now)
    else:
        registration.status = Registration.Status.CONFIRMED
        registration.hold_expires_at = None
        registration.confirmed_at = registration.confirmed_at or now


def _normalize_email(email: str) -> str:
    local, _sep, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


# --- Create -----------------------------------------------------------------------------------------------------------
def _create_in_lock(
    meeting: Meeting, data: Mapping[str, Any], language: str, now: datetime.datetime, batch: str
) -> RegistrationResult:
    check_open(meeting, now)
    check_eligible(meeting, data["organization_type"])
    mode = attendance_mode_for(meeting, data.get("attendance_mode"))
    email = _normalize_email(data["email"])
    held, existing = _seats_and_existing(meeting, now, email)
    if existing is not None and existing.status in ACTIVE:
        # Same person, same meeting: one registration. Nothing is overwritten (the form is public: anyone can type
        # any address); the email the person already received is sent again.
        position = notifications.waitlist_position(existing) if existing.status == "waitlisted" else None
        return RegistrationResult(existing, already_registered=True, waitlist_position=position)

    registration = existing or Registration(meeting=meeting)
    if existing is not None:
        _start_over(registration, now)
    registration.first_name = data["first_name"].strip()
    registration.last_name = data["last_name"].strip()
    registration.email = email
    registration.organization = data["organization"].strip()
    registration.organization_type = data["organization_type"]
    registration.organization_code = data.get("organization_code") or ""
    registration.role = (data.get("role") or "").strip()
    registration.newsletter_consent = bool(data.get("newsletter_consent"))
    # The legal basis is the registration itself; we record when the person declared having read the notice.
    registration.privacy_acknowledged_at = now
    registration.language = language
    registration.batch = batch
    registration.attendance_mode = mode
    if _has_free_seat(meeting, mode, held):
        _seat(registration, meeting, now)
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.hold_expires_at = None
    # The meeting is the locked row (no need to re-check it exists); uniqueness is what the lock guarantees.
    registration.full_clean(exclude=["token", "meeting"], validate_unique=False, validate_constraints=False)
    registration.save()
    position = notifications.waitlist_position(registration) if registration.status == "waitlisted" else None
    return RegistrationResult(registration, waitlist_position=position)


def _notify_created(results: list[RegistrationResult]) -> None:
    new_pending = [r.registration for r in results if not r.already_registered and r.status == "pending"]
    grouped = new_pending if len(new_pending) > 1 else []
    # The same submission sent again while its registrations still wait for confirmation: their one "confirm your
    # address" email again, not one per meeting (its link confirms the batch they were made in).
    pending_again = [r.registration for r in results if r.already_registered and r.status == "pending"]
    if len(pending_again) > 1 and len({r.batch for r in pending_again}) == 1 and pending_again[0].batch:
        grouped = grouped + pending_again
        notifications.notify_batch_pending(pending_again)
    if len(new_pending) > 1:
        notifications.notify_batch_pending(new_pending)
    for result in results:
        if result.registration in grouped:
            continue
        # The waiting-list position was counted a moment ago under the same lock: the email reuses it.
        notifications.notify_status(result.registration, position=result.waitlist_position)


def registration_create(*, meeting_id: int, data: Mapping[str, Any], language: str) -> RegistrationResult:
    """Register one person to one meeting. Raises RegistrationRefused (closed, not eligible, busy…)."""
    now = timezone.now()
    with locked_meetings([meeting_id]) as meetings:
        if meeting_id not in meetings:
            raise RegistrationRefused(_("Questo incontro non esiste."), "not_found")
        result = _create_in_lock(meetings[meeting_id], data, language, now, batch="")
        _notify_created([result])
    return result


def lab_meetings_to_register(lab_id: int) -> list[Meeting]:
    """The meetings "iscriviti a tutto il laboratorio" covers: every upcoming meeting of the lab."""
    return list(Meeting.objects.published().upcoming().filter(lab_id=lab_id).select_related("venue"))


def registration_create_for_lab(*, lab_id: int, data: Mapping[str, Any], language: str) -> LabRegistrationResult:
    """ "Iscriviti a tutto il laboratorio": one registration per upcoming meeting, one transaction, one confirmation
    email. A meeting that refuses (closed, reserved to public administrations…) is reported and skipped."""
    now = timezone.now()
    outcome = LabRegistrationResult()
    batch = secrets.token_hex(8)
    with locked_meetings(m.pk for m in lab_meetings_to_register(lab_id)) as meetings:
        for meeting in sorted(meetings.values(), key=lambda m: (m.starts_at or now, m.pk)):
            try:
                with transaction.atomic():
                    outcome.results.append(_create_in_lock(meeting, data, language, now, batch=batch))
            except RegistrationRefused as refusal:
                outcome.refused.append((meeting, refusal.message))
        _notify_created(outcome.results)
    return outcome


# --- Confirm, cancel, move ------------------------------------------------------------------------------------------
def registration_confirm(*, registration_id: int) -> Registration:
    """The person opened the link in the "confirm your address" email: their pending registration(s) are confirmed.

    Registrations made in the same submission (same batch, same address) are confirmed together. Raises
    RegistrationRefused (after committing: an overdue hold is expired and its seat given to the waiting list)."""
    registration = Registration.objects.get(pk=registration_id)
    group = confirmation_group(registration)
    now = timezone.now()
    refusal: RegistrationRefused | None = None
    with locked_meetings(r.meeting_id for r in group) as meetings:
        for member in group:
            member.refresh_from_db()  # the state may have changed while we waited for the lock
            member.meeting = meetings[member.meeting_id]
            problem = _confirm_one(member, now)
            if member.pk == registration.pk:
                refusal = problem
    if refusal is not None:
        raise refusal
    registration.refresh_from_db()
    return registration


def confirmation_group(registration: Registration) -> list[Registration]:
    """The registrations one "confirm your address" link confirms: those made in the same submission (same batch, same
    address), this one included, in the order they were made; the confirm page lists them before the click."""
    if not registration.batch:
        return [registration]
    return list(
        Registration.objects.filter(batch=registration.batch, email__iexact=registration.email)
        .select_related("meeting", "meeting__lab")
        .order_by("pk")
    )


def confirm_refusal(registration: Registration, now: datetime.datetime) -> RegistrationRefused | None:
    """Why confirming this registration now would be refused, or None; writes nothing. The confirm page reads it
    before the person clicks (an expired hold is explained up front), _confirm_one when the click arrives."""
    meeting = registration.meeting
    status = registration.status
    if status == Registration.Status.CONFIRMED:
        return None
    if status == Registration.Status.CANCELLED:
        return RegistrationRefused(_("Questa iscrizione è stata annullata."), "cancelled_registration")
    if status == Registration.Status.WAITLISTED:
        return RegistrationRefused(
            _("Sei in lista d'attesa: ti scriveremo appena si libera un posto."), "waitlisted_registration"
        )
    if meeting.cancelled:
        return RegistrationRefused(_("Questo incontro è stato annullato."), "cancelled")
    if meeting.starts_at and meeting.starts_at <= now:
        return RegistrationRefused(_("Questo incontro si è già svolto."), "past")
    if status == Registration.Status.EXPIRED or (
        hold_overdue(registration, now)
        and Registration.objects.filter(meeting=meeting, attendance_mode=registration.attendance_mode)
        .waitlisted()
        .exists()
    ):
        # Late, and somebody is waiting for the seat: the seat goes to them. Late with nobody waiting: no harm done.
        return RegistrationRefused(
            _(
                "Il tempo per confermare l'indirizzo è scaduto e il posto è stato liberato. "
                "Puoi iscriverti di nuovo, se ci sono ancora posti."
            ),
            "expired",
        )
    return None


def hold_overdue(registration: Registration, now: datetime.datetime) -> bool:
    """A pending registration whose hold has run out (its seat is kept only while nobody is waiting for it)."""
    return (
        registration.status == Registration.Status.PENDING
        and registration.hold_expires_at is not None
        and registration.hold_expires_at <= now
    )


def _confirm_one(registration: Registration, now: datetime.datetime) -> RegistrationRefused | None:
    if registration.status == Registration.Status.CONFIRMED:
        return None
    refusal = confirm_refusal(registration, now)
    if refusal is not None:
        if refusal.code == "expired" and registration.status == Registration.Status.PENDING:
            _expire_overdue(registration.meeting, now)
            _fill_from_waitlist(registration.meeting, now)
        return refusal
    registration.status = Registration.Status.CONFIRMED
    registration.confirmed_at = now
    registration.hold_expires_at = None
    registration.save(update_fields=["status", "confirmed_at", "hold_expires_at", "updated_at"])
    notifications.notify_status(registration)
    return None


def registration_cancel(*, registration_id: int, by_staff: bool = False) -> Registration:
    """Cancel a registration (self-service or staff), free its seat, and promote the first waitlisted person."""
    meeting_id = Registration.objects.values_list("meeting_id", flat=True).get(pk=registration_id)
    now = timezone.now()
    with locked_meetings([meeting_id]) as meetings:
        registration = Registration.objects.get(pk=registration_id)
        registration.meeting = meetings[meeting_id]
        if registration.status in ACTIVE:
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = now
            registration.hold_expires_at = None
            registration.save(update_fields=["status", "cancelled_at", "hold_expires_at", "updated_at"])
            # Staff cancelling tell the person; a person cancelling gets a receipt (the same email, in their words).
            notifications.notify_cancelled(registration, by_person=not by_staff)
            _fill_from_waitlist(registration.meeting, now)
    return registration


def registrations_cancel(*, registration_ids: list[int], notify_person: bool = True) -> list[int]:
    """Cancel several registrations (any meetings) under one lock of their meetings, taken in pk order like every
    other lock (so never a deadlock with a registration in flight); the freed seats go to the waiting lists.

    `notify_person=False` tells the person nothing: GDPR erasure, whose address is about to be anonymised. The people
    promoted from a waiting list are always told. Returns the ids actually cancelled (active ones)."""
    rows = dict(Registration.objects.filter(pk__in=registration_ids).values_list("pk", "meeting_id"))
    now = timezone.now()
    cancelled: list[int] = []
    with locked_meetings(rows.values()) as meetings:
        for registration in Registration.objects.filter(pk__in=rows, status__in=ACTIVE).order_by("pk"):
            registration.meeting = meetings[registration.meeting_id]
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = now
            registration.hold_expires_at = None
            registration.save(update_fields=["status", "cancelled_at", "hold_expires_at", "updated_at"])
            if notify_person:
                notifications.notify_cancelled(registration)
            cancelled.append(registration.pk)
        for meeting in meetings.values():
            _fill_from_waitlist(meeting, now)
    return cancelled


def registrations_delete(*, registration_ids: list[int]) -> int:
    """Superuser only: delete registrations for good (a test row, a duplicate typed by staff). Nobody is emailed;
    seats freed go to the waiting lists, under the meetings' lock. Returns how many rows were deleted."""
    rows = dict(Registration.objects.filter(pk__in=registration_ids).values_list("pk", "meeting_id"))
    now = timezone.now()
    with locked_meetings(rows.values()) as meetings:
        deleted = 0
        # One by one: each deletion leaves its audit-trail row (simple_history records deletions).
        for registration in Registration.objects.filter(pk__in=rows).order_by("pk"):
            registration.delete()
            deleted += 1
        for meeting in meetings.values():
            _fill_from_waitlist(meeting, now)
    return deleted


def registration_promote(*, registration_id: int) -> Registration:
    """Staff: give a free seat to this waitlisted person now (out of arrival order, a staff decision). Raises
    RegistrationRefused when the person is not waiting, the meeting is cancelled or past, or no seat is free (staff
    then raise the capacity, which promotes in arrival order, or cancel someone's registration)."""
    meeting_id = Registration.objects.values_list("meeting_id", flat=True).get(pk=registration_id)
    now = timezone.now()
    with locked_meetings([meeting_id]) as meetings:
        meeting = meetings[meeting_id]
        registration = Registration.objects.get(pk=registration_id)
        registration.meeting = meeting
        if registration.status != Registration.Status.WAITLISTED:
            raise RegistrationRefused(_("Questa iscrizione non è in lista d'attesa."), "not_waitlisted")
        if meeting.cancelled or meeting.starts_at is None or meeting.starts_at <= now:
            raise RegistrationRefused(_("L'incontro non accetta iscrizioni."), "closed")
        _expire_overdue(meeting, now)
        if not _has_free_seat(meeting, registration.attendance_mode, _seat_counts(meeting, now)["held"]):
            raise RegistrationRefused(
                _(
                    "Non ci sono posti liberi: aumenta i posti dell'incontro (la lista d'attesa avanza in ordine "
                    "di arrivo) oppure annulla prima un'iscrizione."
                ),
                "full",
            )
        _seat(registration, meeting, now)
        registration.save(update_fields=["status", "hold_expires_at", "confirmed_at", "updated_at"])
        notifications.notify_status(registration, promoted=True)
    return registration


def registration_move(*, registration_id: int, meeting_id: int) -> Registration:
    """Staff: move a registration to another meeting. It keeps its seat if the target has one (a confirmed person stays
    confirmed), otherwise joins the target's waiting list; the seat it leaves goes to the source's waiting list."""
    source_id = Registration.objects.values_list("meeting_id", flat=True).get(pk=registration_id)
    if source_id == meeting_id:
        return Registration.objects.get(pk=registration_id)
    now = timezone.now()
    with locked_meetings([source_id, meeting_id]) as meetings:
        target = meetings[meeting_id]
        registration = Registration.objects.get(pk=registration_id)
        if target.cancelled or target.starts_at is None or target.starts_at <= now:
            raise RegistrationRefused(_("L'incontro di destinazione non accetta iscrizioni."), "target_closed")
        clash = Registration.objects.filter(meeting=target, email__iexact=registration.email)
        if clash.filter(status__in=ACTIVE).exists():
            raise RegistrationRefused(_("La persona è già iscritta all'incontro di destinazione."), "duplicate")
        clash.delete()  # an old cancelled/expired row there would break the one-row-per-address rule
        was_active = registration.status in ACTIVE
        registration.meeting = target
        registration.created_at = now  # joins the target's arrival order now
        registration.reminder_sent_at = None
        # A person moved to a meeting of another format takes its one mode; into a hybrid meeting they keep theirs.
        registration.attendance_mode = target.default_mode or registration.attendance_mode
        _expire_overdue(target, now)
        held, _promoted = _fill_from_waitlist(target, now)
        if was_active and _has_free_seat(target, registration.attendance_mode, held):
            _seat(registration, target, now)
        elif was_active:
            registration.status = Registration.Status.WAITLISTED
            registration.hold_expires_at = None
        registration.save()
        if was_active:
            notifications.notify_status(registration)
        _fill_from_waitlist(meetings[source_id], now)
    return registration


def registration_switch_mode(*, registration_id: int, mode: str, by_staff: bool = False) -> Registration:
    """Move a registration of a hybrid meeting to the other attendance mode (self-service on the manage page, or
    staff through the admin action), under the meeting lock.

    The person keeps what they have: a seat (pending or confirmed) moves only if the other mode has a free seat,
    otherwise RegistrationRefused says so and the registration stays as it is (nobody swaps a sure seat in the
    room for a place in the online waiting list by accident). A waitlisted person moves only into a free seat too
    (then they are promoted). The seat left behind goes to the first person waiting in that mode. The person gets
    the "confirmed" email again with the details of the new mode (the link, or the address), or "promoted"."""
    meeting_id = Registration.objects.values_list("meeting_id", flat=True).get(pk=registration_id)
    now = timezone.now()
    with locked_meetings([meeting_id]) as meetings:
        meeting = meetings[meeting_id]
        registration = Registration.objects.get(pk=registration_id)
        registration.meeting = meeting
        if not meeting.is_hybrid or mode not in meeting.attendance_modes:
            raise RegistrationRefused(_("Questo incontro si svolge in una sola modalità."), "single_mode")
        if registration.attendance_mode == mode:
            return registration
        if registration.status not in ACTIVE:
            raise RegistrationRefused(_("Questa iscrizione non è attiva."), "inactive")
        if meeting.cancelled or meeting.starts_at is None or meeting.starts_at <= now:
            raise RegistrationRefused(_("L'incontro non accetta più cambi di modalità."), "closed")
        if registration.hold_expires_at is not None and registration.hold_expires_at <= now:
            # Its own hold ran out (the periodic job or the next registration expires it): nothing to move.
            raise RegistrationRefused(
                _("Il tempo per confermare l'indirizzo è scaduto: iscriviti di nuovo, se ci sono ancora posti."),
                "expired",
            )
        _expire_overdue(meeting, now)  # other people's overdue holds give their seats back before counting
        counts = _seat_counts(meeting, now)
        if not _has_free_seat(meeting, mode, counts["held"]):
            label = Meeting.Mode(mode).label
            raise RegistrationRefused(
                _(
                    "Non ci sono più posti %(mode)s: la tua iscrizione resta com'era. Se si libera un posto potrai "
                    "riprovare."
                )
                % {"mode": label}
                if not by_staff
                else _("Non ci sono posti %(mode)s liberi: l'iscrizione resta com'era.") % {"mode": label},
                "full",
            )
        previous = registration.attendance_mode
        was_waiting = registration.status == Registration.Status.WAITLISTED
        registration.attendance_mode = mode
        if was_waiting:
            _seat(registration, meeting, now)
        registration.save(update_fields=["attendance_mode", "status", "hold_expires_at", "confirmed_at", "updated_at"])
        if was_waiting:
            notifications.notify_status(registration, promoted=True)
        else:
            notifications.notify_mode_switched(registration)
            # The seat left behind in the other mode goes to its waiting list.
            held = dict(counts["held"])
            held[previous] -= 1
            held[mode] += 1
            _fill_from_waitlist(meeting, now, {"held": held, "waiting": counts["waiting"]})
    return registration


# --- Meeting-level changes: every staff path (change form, lab inline, actions) ends here ----------------------------
# A change to one of these fields is announced to the registrants: confirmed, pending and waiting.
MEETING_NOTICE_FIELDS = ("starts_at", "ends_at", "venue", "online_url", "format", "cancelled")


@dataclass
class MeetingChangeResult:
    """What a meeting change did to its registrations (ids), for the message staff read after saving."""

    notified: list[int] = field(default_factory=list)
    # Registrants not told because staff chose so (only when something worth telling changed).
    untold: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    promoted: list[int] = field(default_factory=list)


# "online_capacity not changed" for meeting_update_problems: None there is a value (unlimited online seats).
UNCHANGED: Any = object()


def meeting_update_problems(
    *,
    meeting_id: int,
    capacity: int | None,
    starts_at: datetime.datetime | None,
    cancel_registrations: bool = False,
    online_capacity: int | None = UNCHANGED,
    format: str | None = None,
) -> dict[str, str]:
    """What the public services would refuse about the meeting once these values are saved: {field: Italian message}.
    `capacity`, `format` and `starts_at` are the new values when they change (None: not changed, or unlimited / no
    date); `online_capacity` the new online seats (None: unlimited), UNCHANGED when it does not change.

    Called by the admin forms' clean() (change form and lab inline) and by meeting_update(). It takes the meeting
    lock: inside the admin's transaction the lock is kept until the save commits, so no registration can take a seat
    between this check and the save (on PostgreSQL; SQLite serialises writers anyway).
    - Capacity below the seats already held in its mode (Meeting.capacity_for: the room of a hybrid meeting; every
      seat once a hybrid meeting becomes single-mode, since its registrations all take that mode), or online capacity
      below the online seats held (lowered, or a meeting made hybrid whose online registrations keep their mode and
      meet its online seats): refused, naming the seats held. Who keeps a seat is a decision about
      people; staff take it first by cancelling or moving registrations (or cancel the meeting with its registrations).
    - A meeting with active registrations moved from the future into the past: refused. The registrants could no
      longer confirm, and a "changed" email for a date gone by helps nobody; a meeting that did not take place is
      cancelled instead. Correcting the time of a meeting that is already past stays possible (attendance records).
    """
    problems: dict[str, str] = {}
    now = timezone.now()
    with locked_meetings([meeting_id]) as meetings:
        meeting = meetings.get(meeting_id)
        if meeting is None:
            return problems
        registrations = Registration.objects.filter(meeting_id=meeting_id)
        hybrid = (format or meeting.format) == Meeting.Format.HYBRID
        if format is not None and capacity is None:
            capacity = meeting.capacity  # the modes merge or split: the seats held are counted again
        if capacity is not None and not cancel_registrations:
            held_rows = registrations.holding_seat()
            if hybrid:
                held_rows = held_rows.filter(attendance_mode=Meeting.Mode.IN_PERSON)
            held = held_rows.count()
            if held > capacity:
                problems["capacity"] = _(
                    "Non puoi ridurre i posti a %(capacity)d: %(held)d persone hanno già un posto (confermate o in "
                    "attesa di conferma). Prima annulla o sposta le iscrizioni di chi non potrà partecipare, "
                    "oppure lascia almeno %(held)d posti."
                ) % {"capacity": capacity, "held": held}
        becomes_hybrid = hybrid and meeting.format != Meeting.Format.HYBRID
        online_seats = meeting.online_capacity if online_capacity is UNCHANGED else online_capacity
        online_checked = online_capacity is not UNCHANGED or becomes_hybrid
        if hybrid and online_checked and online_seats is not None and not cancel_registrations:
            held = registrations.holding_seat().filter(attendance_mode=Meeting.Mode.ONLINE).count()
            if held > online_seats and becomes_hybrid:
                # held > online_seats >= 1: "persone" and "posti" are always plural, the online seats may not be.
                problems["online_capacity"] = ngettext(
                    "Da ibrido l'incontro avrebbe %(capacity)d posto online, ma %(held)d persone hanno già un posto "
                    "online. Lascia almeno %(held)d posti online (o vuoto: illimitati), oppure prima annulla o sposta "
                    "le iscrizioni di chi non potrà partecipare.",
                    "Da ibrido l'incontro avrebbe %(capacity)d posti online, ma %(held)d persone hanno già un posto "
                    "online. Lascia almeno %(held)d posti online (o vuoto: illimitati), oppure prima annulla o sposta "
                    "le iscrizioni di chi non potrà partecipare.",
                    online_seats,
                ) % {"capacity": online_seats, "held": held}
            elif held > online_seats:
                problems["online_capacity"] = _(
                    "Non puoi ridurre i posti online a %(capacity)d: %(held)d persone hanno già un posto online. "
                    "Prima annulla o sposta le iscrizioni di chi non potrà partecipare, oppure lascia almeno "
                    "%(held)d posti."
                ) % {"capacity": online_seats, "held": held}
        was_upcoming = meeting.starts_at is None or meeting.starts_at > now
        if starts_at is not None and starts_at <= now and was_upcoming and not cancel_registrations:
            active = registrations.active().count()
            if active:
                problems["starts_at"] = ngettext(
                    "Questo incontro ha %(count)d iscrizione attiva: non puoi spostarlo nel passato. Scegli una data "
                    "futura, oppure annulla l'incontro (e le sue iscrizioni).",
                    "Questo incontro ha %(count)d iscrizioni attive: non puoi spostarlo nel passato. Scegli una data "
                    "futura, oppure annulla l'incontro (e le sue iscrizioni).",
                    active,
                ) % {"count": active}
    return problems


def _meeting_changed_in_lock(
    meeting: Meeting, fields: list[str], *, notify: bool, cancel_registrations: bool, now: datetime.datetime
) -> MeetingChangeResult:
    result = MeetingChangeResult()
    if "format" in fields and meeting.default_mode is not None:
        # Now single-mode: every registration attends in its one mode (one by one: each keeps its audit-trail row).
        # Into a hybrid meeting everyone keeps the mode they had.
        for registration in Registration.objects.filter(meeting=meeting).exclude(attendance_mode=meeting.default_mode):
            registration.attendance_mode = meeting.default_mode
            registration.save(update_fields=["attendance_mode", "updated_at"])
    active = list(
        Registration.objects.filter(meeting=meeting, status__in=ACTIVE)
        .select_related("meeting", "meeting__lab", "meeting__venue")
        .order_by("pk")
    )
    if "cancelled" in fields and meeting.cancelled and cancel_registrations:
        for registration in active:
            registration.status = Registration.Status.CANCELLED
            registration.cancelled_at = now
            registration.hold_expires_at = None
            # One by one (not update()): each registration keeps its audit-trail row.
            registration.save(update_fields=["status", "cancelled_at", "hold_expires_at", "updated_at"])
            result.cancelled.append(registration.pk)
    if fields and notify:
        for registration in active:
            # A cancelled meeting sends "meeting_cancelled", anything else "meeting_changed" (notifications.py).
            notifications.notify_meeting_change(registration, changed_fields=fields)
            result.notified.append(registration.pk)
    elif fields:
        result.untold = [registration.pk for registration in active]
    # Capacity raised, a hold run out, a cancellation undone: free seats go to the waiting list (never into a
    # cancelled or past meeting, see _fill_from_waitlist).
    _expire_overdue(meeting, now)
    _held, result.promoted = _fill_from_waitlist(meeting, now)
    return result


def meeting_changed(
    *, meeting_id: int, changed_fields: list[str], notify: bool = True, cancel_registrations: bool = True
) -> MeetingChangeResult:
    """A meeting was just saved (admin change form or lab inline): run the registrations' side of the change.

    - `changed_fields` among MEETING_NOTICE_FIELDS are announced to every active registrant (confirmed, pending,
      waiting) unless staff chose `notify=False`.
    - A meeting that has just been cancelled cancels its active registrations (seats freed, "incontro annullato"
      email) unless staff chose `cancel_registrations=False`: then the registrations stay as they are (e.g. the
      meeting will be rescheduled) and, when notified, the registrants still read that the meeting is cancelled.
    - Free seats are offered to the waiting list (capacity raised).
    Runs in the caller's transaction (the admin's): the emails are outbox rows committed with the change and sent
    after commit. The forms have checked meeting_update_problems under the same lock before the save."""
    fields = [name for name in MEETING_NOTICE_FIELDS if name in changed_fields]
    now = timezone.now()
    with locked_meetings([meeting_id]) as meetings:
        return _meeting_changed_in_lock(
            meetings[meeting_id], fields, notify=notify, cancel_registrations=cancel_registrations, now=now
        )


def meeting_update(
    *, meeting_id: int, changes: Mapping[str, Any], notify: bool = True, cancel_registrations: bool = True
) -> MeetingChangeResult:
    """Change a meeting's fields and run the registrations' side (meeting_changed), under one lock: the path of admin
    actions and imports, which have no form of their own. Raises RegistrationRefused (an Italian message) when the
    new values break a rule (meeting_update_problems) or the meeting's own validation."""
    now = timezone.now()
    with locked_meetings([meeting_id]) as meetings:
        if meeting_id not in meetings:
            raise RegistrationRefused(_("Questo incontro non esiste."), "not_found")
        meeting = meetings[meeting_id]
        fields = [name for name, value in changes.items() if getattr(meeting, name) != value]
        if not fields:
            return MeetingChangeResult()
        cancelling = bool(changes.get("cancelled")) and cancel_registrations
        problems = meeting_update_problems(
            meeting_id=meeting_id,
            capacity=changes["capacity"] if "capacity" in fields else None,
            online_capacity=changes["online_capacity"] if "online_capacity" in fields else UNCHANGED,
            format=changes["format"] if "format" in fields else None,
            starts_at=changes.get("starts_at", meeting.starts_at) if "starts_at" in fields else None,
            cancel_registrations=cancelling,
        )
        if problems:
            raise RegistrationRefused(" ".join(problems.values()), "meeting_rules")
        for name in fields:
            setattr(meeting, name, changes[name])
        try:
            meeting.full_clean()
        except ValidationError as exc:
            raise RegistrationRefused(" ".join(exc.messages), "invalid") from exc
        meeting.save()
        notice = [name for name in MEETING_NOTICE_FIELDS if name in fields]
        return _meeting_changed_in_lock(
            meeting, notice, notify=notify, cancel_registrations=cancel_registrations, now=now
        )


def meeting_capacity_changed(*, meeting_id: int) -> list[int]:
    """After staff raise the capacity, promote from the waiting list into the freed seats (meeting_changed)."""
    return meeting_changed(meeting_id=meeting_id, changed_fields=["capacity"]).promoted


def meeting_notify_change(*, meeting_id: int, changed_fields: list[str]) -> int:
    """Tell every active registrant that time, venue or link changed (or that the meeting is cancelled), keeping the
    registrations as they are; returns how many were told (meeting_changed)."""
    result = meeting_changed(meeting_id=meeting_id, changed_fields=changed_fields, cancel_registrations=False)
    return len(result.notified)


# --- Periodic jobs ----------------------------------------------------------------------------------------------------
def registrations_expire_holds(*, now: datetime.datetime | None = None) -> int:
    """Expire pending registrations whose hold ran out, meeting by meeting, and promote from the waiting lists."""
    now = now or timezone.now()
    meeting_ids = set(
        Registration.objects.filter(status=Registration.Status.PENDING, hold_expires_at__lte=now).values_list(
            "meeting_id", flat=True
        )
    )
    expired = 0
    for meeting_id in sorted(meeting_ids):
        try:
            with locked_meetings([meeting_id]) as meetings:
                before = Registration.objects.filter(meeting_id=meeting_id, status="expired").count()
                _expire_overdue(meetings[meeting_id], now)
                expired += Registration.objects.filter(meeting_id=meeting_id, status="expired").count() - before
                _fill_from_waitlist(meetings[meeting_id], now)
        except RegistrationBusy:
            continue  # a burst of registrations on this meeting: they expire overdue holds themselves; next run
    return expired


def registrations_send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Queue the reminder (with the link) for confirmed registrants of meetings starting in the next 24 hours.

    Idempotent: reminder_sent_at is claimed with a conditional UPDATE in the same transaction as the outbox row, so a
    second run, or two beat instances, never remind twice. People who confirmed inside the 24 hours already got
    every detail in the "confirmed" email and are not reminded."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=24)
    candidates = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        meeting__cancelled=False,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=horizon,
        confirmed_at__lt=F("meeting__starts_at") - datetime.timedelta(hours=24),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        with transaction.atomic():
            if not Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                continue
            registration = Registration.objects.select_related("meeting", "meeting__lab", "meeting__venue").get(pk=pk)
            notifications.notify_reminder(registration)
            sent += 1
    return sent


# --- Registered by the secretariat: on behalf of a person (phone, email) or a walk-in at the door ----------------------
# The person did not fill in the public form: staff typed the data after talking to them, so there is no address to
# confirm (no double opt-in: the registration is confirmed at once) and the registration records which staff member
# typed it (`registered_by`, also in its history). The rules that protect the meeting still apply: capacity,
# eligibility and the registration window refuse, unless staff give a reason to set them aside (`override_reason`,
# kept on the registration and in its history). A cancelled meeting, one without a date and one that has ended are
# always refused.


def meeting_has_ended(meeting: Meeting, now: datetime.datetime) -> bool:
    """Walk-ins are registered until the meeting's end (its start when it has no end time, plus the same day)."""
    if meeting.starts_at is None:
        return False
    if meeting.ends_at:
        return meeting.ends_at <= now
    return timezone.localdate(meeting.starts_at) < timezone.localdate(now)


def _staff_checks(meeting: Meeting, data: Mapping[str, Any], now: datetime.datetime) -> list[RegistrationRefused]:
    """What would refuse this registration, staff side: hard refusals raise, overridable ones are returned."""
    reason = meeting.registration_closed_reason(now)
    if reason in ("cancelled", "no_date"):
        check_open(meeting, now)  # raises with the usual sentence
    if reason == "past" and meeting_has_ended(meeting, now):
        raise RegistrationRefused(_("Questo incontro si è già concluso: non è più possibile iscriversi."), "past")
    problems: list[RegistrationRefused] = []
    if reason not in (None, "past"):
        try:
            check_open(meeting, now)
        except RegistrationRefused as refusal:
            problems.append(refusal)
    try:
        check_eligible(meeting, data["organization_type"])
    except RegistrationRefused as refusal:
        problems.append(refusal)
    return problems


def registration_create_by_staff(
    *,
    meeting_id: int,
    data: Mapping[str, Any],
    user,
    notify: bool,
    override_reason: str = "",
    language: str = "it",
) -> Registration:
    """The secretariat registers a person: confirmed at once, `registered_by` = the staff user. Raises
    RegistrationRefused: the person is already registered ("duplicate"), the meeting is cancelled, undated or over,
    or a rule refuses (full, not eligible, registration closed) and no `override_reason` was given; with one, the
    registration is made and the reason is kept on it. `notify`: the "confirmed" email (with the QR code) is sent."""
    now = timezone.now()
    override_reason = (override_reason or "").strip()
    with locked_meetings([meeting_id]) as meetings:
        if meeting_id not in meetings:
            raise RegistrationRefused(_("Questo incontro non esiste."), "not_found")
        meeting = meetings[meeting_id]
        problems = _staff_checks(meeting, data, now)
        email = _normalize_email(data["email"])
        held, existing = _seats_and_existing(meeting, now, email)
        if existing is not None and existing.status in ACTIVE:
            raise RegistrationRefused(
                _("%(name)s è già iscritta a questo incontro (%(status)s).")
                % {"name": existing.full_name, "status": existing.get_status_display()},
                "duplicate",
            )
        # The person's mode on a hybrid meeting (the on-behalf form asks; a walk-in at the door is in the room).
        chosen = data.get("attendance_mode") or Meeting.Mode.IN_PERSON
        mode = meeting.default_mode or (chosen if chosen in meeting.attendance_modes else Meeting.Mode.IN_PERSON)
        if not _has_free_seat(meeting, mode, held):
            problems.append(RegistrationRefused(_("L'incontro è al completo: non ci sono posti liberi."), "full"))
        if problems and not override_reason:
            raise RegistrationRefused(
                " ".join(p.message for p in problems)
                + " "
                + _("Per iscrivere comunque la persona indica il motivo della deroga."),
                problems[0].code,
            )
        registration = existing or Registration(meeting=meeting)
        if existing is not None:  # a cancelled or expired row of the same address comes back (one row per address)
            _start_over(registration, now)
        for name in ("first_name", "last_name", "organization", "role"):
            setattr(registration, name, (data.get(name) or "").strip())
        registration.email = email
        registration.organization_type = data["organization_type"]
        registration.organization_code = data.get("organization_code") or ""
        registration.newsletter_consent = False  # consent is given by the person, never typed by staff
        registration.privacy_acknowledged_at = now  # staff give the privacy notice (phone, email, at the door)
        registration.language = language
        registration.batch = ""
        registration.attendance_mode = mode
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.hold_expires_at = None
        registration.registered_by = user
        registration.override_reason = override_reason if problems else ""
        registration.full_clean(exclude=["token", "meeting"], validate_unique=False, validate_constraints=False)
        registration._history_user = user
        if problems:
            registration._change_reason = (_("Deroga: %(reason)s") % {"reason": override_reason})[:100]
        registration.save()
        if notify:
            notifications.notify_status(registration)
    return registration
