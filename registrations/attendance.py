"""Attendance marked by staff on the day: who of the confirmed registrants was there.

One rule for every entry point (the attendance page, the check-in page at the door, a walk-in): attendance is marked
from the meeting's start; earlier only when staff confirm it explicitly (`confirm_early=True`), e.g. people checked
in at the door while the room fills up before the start time.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from labs.models import Meeting

from .locking import RegistrationRefused
from .models import Registration


def meeting_attendees(meeting_id: int):
    """The people expected in the room, in the order staff read them: the sign-in sheet (documents) and the check-in
    page list exactly these (confirmed registrations, by last name, first name, pk); of a hybrid meeting, those who
    chose to attend in person (the online attendees never come to the door)."""
    return (
        Registration.objects.confirmed()
        .filter(meeting_id=meeting_id)
        .exclude(meeting__format=Meeting.Format.HYBRID, attendance_mode=Meeting.Mode.ONLINE)
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )


def attendance_too_early(meeting: Meeting, now=None) -> bool:
    """True while the meeting has not started (or has no date): marking attendance needs an explicit confirmation."""
    now = now or timezone.now()
    return meeting.starts_at is None or meeting.starts_at > now


def check_attendance_allowed(meeting: Meeting, *, confirm_early: bool) -> None:
    if attendance_too_early(meeting) and not confirm_early:
        raise RegistrationRefused(
            _(
                "L'incontro non è ancora iniziato: per registrare le presenze prima dell'inizio conferma "
                "esplicitamente la scelta."
            ),
            "too_early",
        )


@transaction.atomic
def meeting_mark_attendance(
    *, meeting_id: int, present_ids: set[int], user: AbstractBaseUser | None = None, confirm_early: bool = False
) -> int:
    """Set ``attended`` on the meeting's confirmed registrations: True for ``present_ids``, False for the others.

    Only rows whose value changes are written (and get a history row with the staff member). Returns that number.
    Raises RegistrationRefused ("too_early") before the meeting's start unless ``confirm_early``."""
    check_attendance_allowed(Meeting.objects.get(pk=meeting_id), confirm_early=confirm_early)
    now = timezone.now()
    changed = []
    for registration in Registration.objects.confirmed().filter(meeting_id=meeting_id).select_for_update():
        present = registration.pk in present_ids
        if registration.attended == present:
            continue
        registration.attended = present
        registration.attended_at = now if present else None
        registration.updated_at = now
        changed.append(registration)
    if changed:
        bulk_update_with_history(changed, Registration, ["attended", "attended_at", "updated_at"], default_user=user)
    return len(changed)


@transaction.atomic
def registration_check_in(
    *, registration_id: int, meeting_id: int, user: AbstractBaseUser | None = None, confirm_early: bool = False
) -> tuple[Registration, bool]:
    """Mark one confirmed registration of this meeting present (the check-in at the door: a scanned QR code or a
    name tapped in the list). Returns (registration, already_present). Raises RegistrationRefused when the
    registration is not a confirmed one of this meeting, or before the start without ``confirm_early``."""
    # Only the registration row is locked (of=self): the meeting row is the registration services' lock, which they
    # take first; locking it here after the registration could deadlock with a cancellation in flight.
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.meeting_id != meeting_id:
        raise RegistrationRefused(_("Questo codice non appartiene a un'iscrizione di questo incontro."), "not_found")
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationRefused(
            _("L'iscrizione di %(name)s non è confermata (%(status)s): non può essere segnata presente.")
            % {"name": registration.full_name, "status": registration.get_status_display()},
            "not_confirmed",
        )
    check_attendance_allowed(registration.meeting, confirm_early=confirm_early)
    if registration.attended:
        return registration, True
    registration.attended = True
    registration.attended_at = timezone.now()
    registration._history_user = user
    registration.save(update_fields=["attended", "attended_at", "updated_at"])
    return registration, False
