"""Calendar files read as two independent programs read them: icalendar and vobject (vobject is the one that read
the old VTIMEZONE as a fixed +01:00, putting summer meetings an hour late)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import vobject
from icalendar import Calendar

ROME = ZoneInfo("Europe/Rome")


def rome(value) -> str:
    """An aware start time as the wall-clock time in Rome, e.g. '2031-06-10 09:30'."""
    return value.astimezone(ROME).strftime("%Y-%m-%d %H:%M")


def read_both(content: bytes) -> list[dict]:
    """Each VEVENT of the file, read by both libraries: uid, summary, status, sequence, and the start in Rome as each
    library understands it (`start_icalendar`, `start_vobject`)."""
    parsed = Calendar.from_ical(content)
    by_vobject = {str(e.uid.value): e for e in vobject.readOne(content.decode()).contents.get("vevent", [])}
    events = []
    for event in parsed.walk("VEVENT"):
        uid = str(event["UID"])
        other = by_vobject[uid]
        events.append(
            {
                "uid": uid,
                "summary": str(event["SUMMARY"]),
                "status": str(event["STATUS"]),
                "sequence": int(event["SEQUENCE"]),
                "start_icalendar": rome(event.decoded("DTSTART")),
                "start_vobject": rome(other.dtstart.value),
                "end_vobject": rome(other.dtend.value) if hasattr(other, "dtend") else None,
                "summary_vobject": other.summary.value,
            }
        )
    assert len(events) == len(by_vobject)
    return events
