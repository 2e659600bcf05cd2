"""What the result page tells the person, carried from the POST to the redirected GET in a signed cookie.

A cookie rather than the session: the session would cost an anonymous registrant a row in django_session (an INSERT
in every registration POST, and rows to clean up), for a summary only this browser ever reads (measured in
docs/performance.md). The cookie is signed (nobody can forge an outcome), HttpOnly, and lives an hour. It holds the
address the person just typed and never the manage token (see outcome_from_results).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from labs.models import Meeting

from .models import Registration
from .selectors import seats_left_by_mode
from .services import hold_until

COOKIE_NAME = "registration_outcome"
COOKIE_SALT = "registrations.outcome"
COOKIE_MAX_AGE = 3600


def remember(response: HttpResponse, outcome: dict) -> HttpResponse:
    value = signing.dumps(outcome, salt=COOKIE_SALT, compress=True)
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return response


def recall(request: HttpRequest) -> dict | None:
    """The outcome this browser was given, or None (no cookie, expired, or tampered with)."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return None
    try:
        return signing.loads(value, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None


def outcome_from_results(results: list, refused: list[tuple[Meeting, str]]) -> dict:
    """JSON-serialisable summary (the cookie holds JSON); the manage token is deliberately NOT included: only the
    owner of the address gets it, by email — otherwise anyone could confirm someone else's address."""
    return {
        "items": [_item(r) for r in results],
        "refused": [[meeting.display_title, message] for meeting, message in refused],
    }


def _item(result) -> dict:
    registration = result.registration
    if result.already_registered:
        # Anybody can type anybody's address: an existing registration (the email is sent again) gets exactly the
        # answer a newcomer would get now, so the page reveals neither that the address is registered nor its status.
        return {"meeting_id": registration.meeting_id, "email": registration.email, **_as_a_newcomer(registration)}
    return {
        "meeting_id": registration.meeting_id,
        "status": registration.status,
        "position": result.waitlist_position,
        "email": registration.email,
        "hold_until": registration.hold_expires_at.isoformat() if registration.hold_expires_at else None,
    }


def _as_a_newcomer(registration) -> dict:
    meeting = registration.meeting
    mode = registration.attendance_mode
    seats = seats_left_by_mode([meeting.pk]).get(meeting.pk, {}).get(mode)
    if seats is None or seats > 0:
        if meeting.requires_confirmation:
            until = hold_until(meeting, timezone.now())
            return {"status": "pending", "position": None, "hold_until": until.isoformat()}
        return {"status": "confirmed", "position": None, "hold_until": None}
    waiting = Registration.objects.filter(
        meeting=meeting, attendance_mode=mode, status=Registration.Status.WAITLISTED
    ).count()
    return {"status": "waitlisted", "position": waiting + 1, "hold_until": None}


def message_for(item: dict) -> str:
    email = item["email"]
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
