"""What the result page tells the person, kept in the session between the POST and the redirected GET."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from labs.models import Meeting

session_key = "registration_outcome"


def outcome_from_results(results: list, refused: list[tuple[Meeting, str]]) -> dict:
    """JSON-serialisable summary (the session stores JSON); the manage token is deliberately NOT included: only the
    owner of the address gets it, by email — otherwise anyone could confirm someone else's address."""
    return {
        "items": [
            {
                "meeting_id": r.registration.meeting_id,
                "status": r.registration.status,
                "already": r.already_registered,
                "position": r.waitlist_position,
                "email": r.registration.email,
                "hold_until": r.registration.hold_expires_at.isoformat() if r.registration.hold_expires_at else None,
            }
            for r in results
        ],
        "refused": [[meeting.display_title, message] for meeting, message in refused],
    }


def message_for(item: dict) -> str:
    email = item["email"]
    if item["already"]:
        # Deliberately silent about the existing registration's status: anybody can type anybody's address.
        return _(
            "Risulti già iscritto/a a questo incontro: ti abbiamo inviato di nuovo l'email all'indirizzo %(email)s."
        ) % {"email": email}
    if item["status"] == "pending":
        until = timezone.localtime(parse_datetime(item["hold_until"]))
        return _(
            "Quasi fatto: ti abbiamo inviato un'email all'indirizzo %(email)s. Apri il link che contiene per "
            "confermare l'iscrizione: il posto è riservato per te fino al %(until)s."
        ) % {"email": email, "until": date_format(until, "DATETIME_FORMAT")}
    if item["status"] == "confirmed":
        return _(
            "Iscrizione confermata. Ti abbiamo inviato un'email all'indirizzo %(email)s con i dettagli dell'incontro."
        ) % {"email": email}
    return _(
        "I posti sono esauriti: sei in lista d'attesa, in posizione %(position)s. Se si libera un posto ti iscriviamo "
        "automaticamente, nell'ordine di arrivo, e ti scriviamo all'indirizzo %(email)s."
    ) % {"email": email, "position": item["position"]}


def describe(outcome: dict) -> list[dict]:
    ids = [item["meeting_id"] for item in outcome["items"]]
    meetings = Meeting.objects.select_related("lab", "venue").in_bulk(ids)
    return [
        {"meeting": meetings.get(item["meeting_id"]), "status": item["status"], "message": message_for(item)}
        for item in outcome["items"]
    ]
