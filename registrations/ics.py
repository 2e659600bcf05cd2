"""A registrant's own calendar file (download behind the registration's token, and email attachment).

The event itself is the meeting's one calendar entry (labs.calendar: same UID, times, status and sequence as the
public files, so importing both gives one event); this module decides only who gets a file and what private details
it adds: the manage link, and the online link for a confirmed registrant who attends online (a hybrid meeting's
in-person attendees get the venue and its access notes instead).
"""

from __future__ import annotations

from labs import calendar

from .models import HOLDS_SEAT, Registration


def registration_has_calendar(registration: Registration) -> bool:
    """A file is offered to people who hold a seat, for a meeting with a date. Not to the waiting list (they are
    not expected), nor to cancelled or expired registrations."""
    return registration.status in HOLDS_SEAT and registration.meeting.starts_at is not None


def registration_ics(registration: Registration) -> bytes | None:
    """The registrant's file, or None when registration_has_calendar() says there is none to give."""
    if not registration_has_calendar(registration):
        return None
    meeting = registration.meeting
    show_link = registration.status == Registration.Status.CONFIRMED and registration.attends_online
    private = calendar.Private(
        manage_url=calendar.absolute_url(registration.get_absolute_url()),
        revised_at=max(meeting.updated_at, registration.updated_at),
        online_url=meeting.online_url if show_link else "",
        mode=registration.attendance_mode,
    )
    event = calendar.meeting_event(meeting, private)
    return calendar.calendar_bytes([event], name=calendar.meeting_summary(meeting))


def ics_attachment(registration: Registration) -> dict[str, str] | None:
    """The email attachment, made when the email is sent (status as it is then); None when there is no file."""
    content = registration_ics(registration)
    if content is None:
        return None
    return {"filename": "incontro.ics", "content": content.decode(), "mimetype": "text/calendar"}
