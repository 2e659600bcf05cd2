"""The private .ics of one registration: like the public meeting calendar, plus the online link and the manage link.

The online link is only for registrants whose place is confirmed (labs.models.Meeting.online_url is private), so this
file is attached to the "confirmed" email and served behind the registration's token, never on a public page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Registration


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def registration_ics(registration: Registration) -> str:
    meeting = registration.meeting
    calendar = Calendar()
    calendar.add("prodid", "-//AnciLab – ANCI Lombardia//Portale//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if meeting.starts_at is None:
        return calendar.to_ical().decode()
    event = Event()
    host = urlsplit(settings.SITE_URL).hostname or "ancilab"
    # Same UID for every registrant of a meeting: re-importing an updated file replaces the old event.
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at)
    event.add("summary", f"{meeting.lab.title} – {meeting.title}")
    show_link = registration.status == Registration.Status.CONFIRMED and meeting.is_online and meeting.online_url
    lines = [absolute(registration.get_absolute_url())]
    if show_link:
        event.add("url", meeting.online_url)
        lines.insert(0, meeting.online_url)
    if meeting.venue_id:
        event.add("location", str(meeting.venue))
    elif show_link:
        event.add("location", meeting.online_url)
    event.add("description", "\n".join(lines))
    if meeting.cancelled:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def ics_attachment(registration: Registration) -> dict[str, str]:
    return {"filename": "incontro.ics", "content": registration_ics(registration), "mimetype": "text/calendar"}
