"""Read-only queries other apps use (public pages show the seats left)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db.models import Count, Q
from django.utils import timezone

from labs.models import Meeting

from .ics import registration_has_calendar
from .models import ACTIVE, HOLDS_SEAT, Registration


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


@dataclass
class MyRegistration:
    """One row of "Le mie iscrizioni": the registration and what the person may do with it."""

    registration: Registration
    can_cancel: bool
    offers_calendar: bool


@dataclass
class MyRegistrations:
    upcoming: list[MyRegistration] = field(default_factory=list)
    past: list[MyRegistration] = field(default_factory=list)


def my_registrations(registrations: Iterable[Registration], now: datetime.datetime | None = None) -> MyRegistrations:
    """Split a person's registrations into meetings still to come (soonest first, dateless last) and meetings that
    started (latest first), with the actions each allows. No query: the meetings are already joined."""
    now = now or timezone.now()
    mine = MyRegistrations()
    for registration in registrations:
        meeting = registration.meeting
        started = meeting.starts_at is not None and meeting.starts_at <= now
        row = MyRegistration(
            registration=registration,
            # The same rules as the manage page: active and not started to cancel; a file only to who holds a seat.
            can_cancel=registration.status in ACTIVE and not started,
            offers_calendar=not started and registration_has_calendar(registration),
        )
        (mine.past if started else mine.upcoming).append(row)
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    mine.upcoming.sort(key=lambda row: (row.registration.meeting.starts_at or far, row.registration.pk))
    return mine


@dataclass
class LabMeetingPreview:
    """What "iscriviti a tutto il laboratorio" will do for one meeting, shown before the form is sent."""

    meeting: Meeting
    state: str  # "seat": a seat (or a hold to confirm); "waitlist": full; "closed": registration not open now
    seats_left: int | None  # of `capacity` (the room of a hybrid meeting), None when unlimited
    closed_reason: str | None  # Meeting.registration_closed_reason() when state == "closed"
    # A hybrid meeting whose room is full: online there is a seat, in presenza the waiting list (Meeting's rule).
    room_full_online_open: bool = False

    @property
    def reserved(self) -> bool:
        return self.meeting.audience == Meeting.Audience.PUBLIC_ADMINISTRATIONS


def lab_registration_preview(meetings: list[Meeting], now: datetime.datetime | None = None) -> list[LabMeetingPreview]:
    """One row per meeting services.lab_meetings_to_register() returns. "Full" is Meeting.is_full, per attendance
    mode: a hybrid meeting with the room full but online seats free is not full. The seats taken of every meeting come
    from one query (MeetingQuerySet.with_seats_taken), copied onto the given meetings so the rule reads no more."""
    now = now or timezone.now()
    taken = {
        row["pk"]: row
        for row in Meeting.objects.filter(pk__in=[m.pk for m in meetings])
        .with_seats_taken()
        .values("pk", "seats_taken", "online_seats_taken")
    }
    preview = []
    for meeting in meetings:
        meeting.seats_taken = taken[meeting.pk]["seats_taken"]
        meeting.online_seats_taken = taken[meeting.pk]["online_seats_taken"]
        reason = meeting.registration_closed_reason(now)
        state = "closed" if reason else ("waitlist" if meeting.is_full else "seat")
        preview.append(
            LabMeetingPreview(
                meeting=meeting,
                state=state,
                seats_left=meeting.seats_left,
                closed_reason=reason,
                room_full_online_open=state == "seat" and meeting.room_full_online_open,
            )
        )
    return preview
