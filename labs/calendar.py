"""A meeting's calendar entry: the one builder of every iCalendar file the portal gives out.

The public files (one meeting, a lab, all upcoming meetings) and the registrant's own file (download and email
attachment, made by registrations/ics.py with `Private` details) all come from `meeting_event`, so one meeting is one
event everywhere:

- UID ``meeting-<pk>@ancilab.it``. The domain is a constant, not the request host or SITE_URL: a calendar program
  recognises an event it already holds by its UID alone, so a UID that followed the deployment address (a move to a
  new domain, http → https, a port) would put every meeting twice in every subscriber's calendar.
- Local times with TZID=Europe/Rome and a VTIMEZONE written as yearly rules (see rome_vtimezone).
- DTSTAMP/LAST-MODIFIED are the meeting's last change, not the time of the download, and SEQUENCE is
  Meeting.sequence (bumped by the model when time, place or cancellation change): downloading twice gives the same
  bytes, and an updated file replaces the event instead of adding one.
- STATUS is CANCELLED for a cancelled meeting, TENTATIVE (and "(data di esempio)" in the title) when its date is only a
  sample, otherwise CONFIRMED.
- A meeting without a date has no entry; callers answer 404 rather than an empty calendar.
- The public files never carry the online link: only a registrant's own file may (the registrations app decides who).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .models import Meeting

PRODID = "-//ANCI Lombardia//AnciLab//IT"
UID_DOMAIN = "ancilab.it"
TZID = "Europe/Rome"
ROME = ZoneInfo(TZID)


def rome_vtimezone() -> Timezone:
    """Europe/Rome as two yearly rules (the EU rule: last Sunday of March at 02:00 → CEST, last Sunday of October at
    03:00 → CET), the form Outlook itself writes. icalendar's generated VTIMEZONE lists each change as an RDATE and
    stops in 2038; vobject reads that as a fixed +01:00 and put every summer meeting an hour late. The rule has held
    since 1996 and covers every year a meeting may have (core.validators.PLAUSIBLE_YEARS); a test checks it against
    the tz database for each of those years."""
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", datetime.timedelta(hours=1))
    daylight.add("tzoffsetto", datetime.timedelta(hours=2))
    daylight.add("dtstart", datetime.datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", datetime.timedelta(hours=2))
    standard.add("tzoffsetto", datetime.timedelta(hours=1))
    standard.add("dtstart", datetime.datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    vtimezone = Timezone()
    vtimezone.add("tzid", TZID)
    vtimezone.add_component(daylight)
    vtimezone.add_component(standard)
    return vtimezone


@dataclass(frozen=True)
class Private:
    """What only one registrant's own file carries. `online_url` only when the registrations app allows it (a confirmed
    registrant of an online or hybrid meeting); `revised_at` is the later of the meeting's and the registration's
    last change (confirming adds the link, so the file changes). `mode` is how the registrant attends (Meeting.Mode):
    of a hybrid meeting, an in-person attendee's file has the venue and its access notes, an online attendee's the
    link (or "Online"); "" keeps the meeting's public place."""

    manage_url: str
    revised_at: datetime.datetime
    online_url: str = ""
    mode: str = ""


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _one_line(text: str) -> str:
    # Titles are single lines; one with a newline (pasted, imported) must still give a valid SUMMARY.
    return " ".join(text.split())


def _venue_text(meeting: Meeting) -> str:
    if meeting.venue_id and meeting.format != Meeting.Format.ONLINE:
        return _one_line(f"{meeting.venue.name}, {meeting.venue.address}, {meeting.venue.city}")
    return ""


def meeting_location(meeting: Meeting) -> str:
    """Where a meeting takes place, as public text: the venue, "Online", or both (never the online link)."""
    online = _("Online (il link arriva agli iscritti via email)") if meeting.is_online else ""
    return " – ".join(filter(None, [_venue_text(meeting), online]))


def meeting_summary(meeting: Meeting) -> str:
    summary = f"{meeting.lab.display_title}: {meeting.display_title}"
    if meeting.is_sample:
        sample = _("data di esempio")
        summary = f"{summary} ({sample})"
    return _one_line(summary)


def meeting_description(meeting: Meeting, page_url: str) -> str:
    lines = []
    if meeting.is_sample:
        lines.append(_("La data è un esempio plausibile, non una data annunciata."))
    agenda = meeting.display_agenda.strip()  # in the language of the request, Italian when not translated
    if agenda:
        lines.append(agenda.replace("\r\n", "\n"))
    lines.append(_("Dettagli e iscrizione: %(url)s") % {"url": page_url})
    return "\n\n".join(lines)


def _status(meeting: Meeting) -> str:
    if meeting.cancelled:
        return "CANCELLED"
    return "TENTATIVE" if meeting.is_sample else "CONFIRMED"


def meeting_event(meeting: Meeting, private: Private | None = None) -> Event:
    """The calendar entry of a dated meeting: public, or one registrant's with `private` details."""
    if meeting.starts_at is None:
        raise ValueError("a meeting without a date has no calendar entry")
    page_url = absolute_url(meeting.get_absolute_url())
    revised_at = private.revised_at if private else meeting.updated_at
    summary = meeting_summary(meeting)
    if meeting.cancelled:
        # STATUS alone is shown by few programs (some hide the event): the title says it too.
        cancelled = _("Annullato")
        summary = f"{cancelled} – {summary}"
    description = meeting_description(meeting, page_url)
    location = meeting_location(meeting)
    url = page_url
    if private:
        # gettext calls stay outside f-strings: xgettext (make messages) cannot see inside them.
        yours = _("La tua iscrizione: %(url)s") % {"url": private.manage_url}
        description = f"{description}\n\n{yours}"
        if private.mode == Meeting.Mode.IN_PERSON and meeting.venue_id:
            location = _venue_text(meeting)
            notes = meeting.venue.display_access_notes.strip()
            if notes:
                how = _("Come arrivare")
                description = f"{how}: {notes}\n\n{description}"
        elif private.mode == Meeting.Mode.ONLINE:
            location = _("Online (il link arriva agli iscritti via email)")
        if private.online_url:
            join = _("Link per partecipare online")
            description = f"{join}: {private.online_url}\n\n{description}"
            # Where the public text says "the link arrives by email", the registrant's file has the link itself.
            venue = "" if private.mode == Meeting.Mode.ONLINE else _venue_text(meeting)
            location = " – ".join(filter(None, [venue, private.online_url]))
            url = private.online_url

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", revised_at.astimezone(datetime.UTC))
    event.add("last-modified", revised_at.astimezone(datetime.UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", summary)
    event.add("dtstart", meeting.starts_at.astimezone(ROME))
    if meeting.ends_at:
        event.add("dtend", meeting.ends_at.astimezone(ROME))
    if location:
        event.add("location", location)
    event.add("description", description)
    event.add("url", url)
    event.add("status", _status(meeting))
    return event


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    """A VCALENDAR of the given events. It always holds the VTIMEZONE, so even a calendar with no event left (the
    global one before new meetings are announced) is a valid file for its subscribers (RFC 5545 wants a component)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _one_line(name))
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(rome_vtimezone())
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def public_calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """The public file of some meetings: one event per dated meeting, never an online link."""
    return calendar_bytes((meeting_event(m) for m in meetings if m.starts_at is not None), name=name)


def _utc_stamp(value: datetime.datetime) -> str:
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
        "ctz": TZID,
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
