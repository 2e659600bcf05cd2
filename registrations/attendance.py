"""Attendance marked by staff on the day: who of the confirmed registrants was there."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from registrations.models import Registration


@transaction.atomic
def meeting_mark_attendance(*, meeting_id: int, present_ids: set[int], user: AbstractBaseUser | None = None) -> int:
    """Set ``attended`` on the meeting's confirmed registrations: True for ``present_ids``, False for the others.

    Only rows whose value changes are written (and get a history row with the staff member). Returns that number.
    """
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
