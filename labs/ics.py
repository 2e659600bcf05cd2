"""iCalendar files and "add to calendar" links for public meetings.

Public calendars never carry ``online_url``: the link is sent only to confirmed registrants (their own ICS is built by the
registrations app). Times are written with TZID=Europe/Rome and the matching VTIMEZONE, so calendars show the local hour
whatever the reader's zone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Meeting

PRODID = "-//ANCI Lombardia//AnciLab//IT"


def meeting_location(meeting: Meeting) -> str:
    """Where a meeting takes place, as public text: the venue, "Online", or both (never the online link)."""
    parts = []
    if meeting.venue_id and meeting.format != Meeting.Format.ONLINE:
        parts.append(f"{meeting.venue.name}, {meeting.venue.address}, {meeting.venue.city}")
    if meeting.is_online:
        parts.append(_("Online (il link arriva agli iscritti via email)"))
    return " – ".join(parts)


def meeting_summary(meeting: Meeting) -> str:
    return f"{meeting.lab.display_title}: {meeting.display_title}"


def meeting_description(meeting: Meeting, page_url: str) -> str:
    agenda = meeting.display_agenda.strip()  # in the language of the request, Italian when not translated
    lines = [agenda] if agenda else []
    lines.append(_("Dettagli e iscrizione: %(url)s") % {"url": page_url})
    return "\n\n".join(lines)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _event(meeting: Meeting) -> Event:
    page_url = absolute_url(meeting.get_absolute_url())
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@ancilab.it")
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("summary", meeting_summary(meeting))
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    if meeting.ends_at:
        event.add("dtend", timezone.localtime(meeting.ends_at))
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    event.add("description", meeting_description(meeting, page_url))
    event.add("url", page_url)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    return event


def calendar_bytes(meetings: Iterable[Meeting], name: str) -> bytes:
    """One VCALENDAR with an event per dated meeting (meetings whose date is to be defined are left out)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        if meeting.starts_at is not None:
            calendar.add_component(_event(meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _utc_stamp(value) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(meeting: Meeting) -> str:
    """A plain link the visitor may click; the page itself makes no request to Google."""
    if meeting.starts_at is None:
        return ""
    end = meeting.ends_at or meeting.starts_at
    query = {
        "action": "TEMPLATE",
        "text": meeting_summary(meeting),
        "dates": f"{_utc_stamp(meeting.starts_at)}/{_utc_stamp(end)}",
        "details": meeting_description(meeting, absolute_url(meeting.get_absolute_url())),
        "location": meeting_location(meeting),
        "ctz": settings.TIME_ZONE,
    }
    return f"https://calendar.google.com/calendar/render?{urlencode(query)}"


def outlook_calendar_url(meeting: Meeting) -> str:
    if meeting.starts_at is None:
        return ""
    end = meeting.ends_at or meeting.starts_at
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": meeting_summary(meeting),
        "startdt": meeting.starts_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "enddt": end.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "body": meeting_description(meeting, absolute_url(meeting.get_absolute_url())),
        "location": meeting_location(meeting),
    }
    return f"https://outlook.live.com/calendar/0/deeplink/compose?{urlencode(query)}"
