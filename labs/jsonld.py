"""schema.org Event data for a meeting (JSON-LD). Data, not script: a strict CSP does not execute it.

What search engines read (Google's Event structured data): name, description, image, startDate/endDate with the
local offset (Europe/Rome: "2026-03-12T09:30:00+01:00", as the page shows the time), the place, one organizer (the
same Organization, with url and logo, on every event, whatever a lab's free-text "organizzatore" says), the status
(cancelled meetings stay listed as EventCancelled) and a free Offer whose availability and validFrom come from the
one "registration is open" rule (Meeting.registration_closed_reason) and the seats left. Every URL is built from
SITE_URL, never from the request's Host header.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import Truncator

from .models import Meeting

_MODES = {
    Meeting.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Meeting.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Meeting.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}

IN_STOCK = "https://schema.org/InStock"
SOLD_OUT = "https://schema.org/SoldOut"
PRE_ORDER = "https://schema.org/PreOrder"

DESCRIPTION_CHARS = 300


def organizer() -> dict:
    """The organizer of every event: one Organization, so that search engines see one entity, not one per lab."""
    return {
        "@type": "Organization",
        "name": "AnciLab – ANCI Lombardia",
        "url": f"{settings.SITE_URL}/",
        "logo": f"{settings.SITE_URL}{static('img/icon-512.png')}",
    }


def _local_iso(value: datetime.datetime | None) -> str | None:
    """ISO 8601 in Rome's time with its offset, whole seconds (the stored value is UTC)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def availability(meeting: Meeting, now: datetime.datetime | None = None) -> str:
    """InStock while registration is open with seats left (or unlimited), PreOrder before it opens, SoldOut when the
    seats are gone (the waiting list is not a seat) or registration is over: closed, past, cancelled."""
    reason = meeting.registration_closed_reason(now)
    if reason == "not_open_yet":
        return PRE_ORDER
    if reason is not None:
        return SOLD_OUT
    seats = meeting.seats_left
    return SOLD_OUT if seats is not None and seats <= 0 else IN_STOCK


def _description(meeting: Meeting) -> str:
    lab = meeting.lab
    text = meeting.display_agenda or lab.display_subtitle or lab.display_description
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)


def _image(meeting: Meeting) -> str:
    if meeting.lab.cover_image:
        return f"{settings.SITE_URL}{meeting.lab.cover_image.url}"
    return f"{settings.SITE_URL}{static('img/og-default.png')}"


def meeting_event_jsonld(meeting: Meeting, request=None) -> dict:
    """The Event of one meeting. The online link is private: a virtual location points at the public meeting page.
    ``request`` is accepted for the views' sake and not used: URLs come from SITE_URL."""
    page_url = f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    locations = []
    if meeting.venue and meeting.format != Meeting.Format.ONLINE:
        locations.append(
            {
                "@type": "Place",
                "name": meeting.venue.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": meeting.venue.address,
                    "addressLocality": meeting.venue.city,
                    "addressCountry": "IT",
                },
            }
        )
    if meeting.is_online:
        locations.append({"@type": "VirtualLocation", "url": page_url})
    offer = {
        "@type": "Offer",
        "price": "0",
        "priceCurrency": "EUR",
        "url": page_url,
        "availability": availability(meeting),
        # Registration is open from its opening date, or from when the meeting was published if none is set.
        "validFrom": _local_iso(meeting.registration_opens_at or meeting.created_at),
        "validThrough": _local_iso(meeting.registration_closes_at or meeting.starts_at),
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{meeting.lab.display_title}: {meeting.display_title}",
        "description": _description(meeting),
        "image": [_image(meeting)],
        "startDate": _local_iso(meeting.starts_at),
        "endDate": _local_iso(meeting.ends_at),
        "eventStatus": "https://schema.org/EventCancelled"
        if meeting.cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": _MODES.get(meeting.format, _MODES[Meeting.Format.IN_PERSON]),
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": organizer(),
        "isAccessibleForFree": True,
        "offers": {key: value for key, value in offer.items() if value is not None},
        "url": page_url,
    }
    return {key: value for key, value in data.items() if value not in (None, [], "")}
