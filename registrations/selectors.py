"""Read-only queries other apps use (public pages show the seats left)."""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db.models import Count, Q

from labs.models import Meeting

from .models import HOLDS_SEAT, Registration


def seats_left_by_mode(meeting_ids: Iterable[int]) -> dict[int, dict[str, int | None]]:
    """{meeting pk: {attendance mode: seats left (0 when full) or None when unlimited}} for the modes each meeting
    has (Meeting.attendance_modes, Meeting.capacity_for), in one query."""
    held = {
        mode: Count(
            "registrations", filter=Q(registrations__status__in=HOLDS_SEAT, registrations__attendance_mode=mode)
        )
        for mode in Meeting.Mode.values
    }
    meetings = Meeting.objects.filter(pk__in=list(meeting_ids)).only("pk", "format", "capacity", "online_capacity")
    result: dict[int, dict[str, int | None]] = {}
    for meeting in meetings.annotate(**{f"held_{mode}": count for mode, count in held.items()}):
        result[meeting.pk] = {}
        for mode in meeting.attendance_modes:
            capacity = meeting.capacity_for(mode)
            taken = getattr(meeting, f"held_{mode}")
            result[meeting.pk][mode] = None if capacity is None else max(capacity - taken, 0)
    return result


def seats_left_by_meeting(meeting_ids: Iterable[int]) -> dict[int, int | None]:
    """{meeting pk: seats left of `capacity` (0 when full; the room of a hybrid meeting) or None when the meeting has
    no capacity limit}, in one query."""
    return {
        pk: modes[Meeting.Mode.ONLINE if Meeting.Mode.IN_PERSON not in modes else Meeting.Mode.IN_PERSON]
        for pk, modes in seats_left_by_mode(meeting_ids).items()
    }


def registrations_of_user(user) -> tuple[list[Registration], list[str]]:
    """Registrations made with any VERIFIED address of the user (logging in by code verifies it), newest meeting
    first; plus the user's unverified addresses, which the page explains. Unverified addresses never show anything:
    otherwise anyone could sign up with somebody else's address and read their registrations."""
    addresses = list(EmailAddress.objects.filter(user=user).values_list("email", "verified"))
    verified = [email for email, ok in addresses if ok]
    unverified = [email for email, ok in addresses if not ok]
    if not verified:
        return [], unverified
    query = Q()
    for email in verified:
        query |= Q(email__iexact=email)
    registrations = list(
        Registration.objects.filter(query)
        .select_related("meeting", "meeting__lab", "meeting__venue")
        .order_by("-meeting__starts_at", "pk")
    )
    return registrations, unverified
