"""schema.org Event data for a meeting (JSON-LD). Data, not script: a strict CSP does not execute it."""

from __future__ import annotations

from django.conf import settings

from .models import Meeting

_MODES = {
    Meeting.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Meeting.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Meeting.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def meeting_event_jsonld(meeting: Meeting, request=None) -> dict:
    """The Event of one meeting. The online link is private: a virtual location points at the public meeting page."""
    page_url = (
        request.build_absolute_uri(meeting.get_absolute_url())
        if request
        else f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    )
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
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{meeting.lab.display_title}: {meeting.display_title}",
        "startDate": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "endDate": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "eventStatus": "https://schema.org/EventCancelled"
        if meeting.cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": _MODES.get(meeting.format, _MODES[Meeting.Format.IN_PERSON]),
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {"@type": "Organization", "name": meeting.lab.organizer, "url": settings.SITE_URL},
        "isAccessibleForFree": True,
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": page_url},
        "url": page_url,
    }
    return {key: value for key, value in data.items() if value not in (None, [])}
