"""Attendance certificates: issued once per person and meeting or per person and lab, verifiable by their code.

A person is an email address (case-insensitive), as everywhere in the portal. `certificate_issue` is the one way a
certificate comes to exist: the participant's download, the staff PDF and the bulk send all call it. Called again it
returns the same certificate (same code: a printed one stays verifiable) with the hours brought up to date, in case
attendance was corrected after the first issue.

Hours. A meeting's length is its end minus its start. A meeting without an end (or without a date) has no known
length: it still counts as a meeting attended / held, but adds no hours, attended or offered (the same choice as the
funders' report, registrations/reports.py). A lab's hours offered are those of its meetings held so far (not
cancelled, started by the time of issue); meetings still to come are not offered yet, and a certificate issued again
after them includes them.

The bulk send (`certificates_send`) issues the certificates of a meeting's or a lab's attendees and queues one email
per certificate through the outbox, with the link to the PDF (the participant's token URL; the PDF is rendered when
opened, so the email stays small and always shows the current hours). A certificate's `emailed_at` is claimed with a
conditional UPDATE in the same transaction as the outbox row: run twice, or by two staff members at once, the action
sends each certificate once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from labs.models import Meeting

from .models import Certificate, Registration, is_anonymised
from .outbox import email_enqueue

EMAIL_TEMPLATE = "certificate"


class NoAttendance(Exception):
    """The person was not marked present at the meeting (or at any meeting of the lab): no certificate."""


def meeting_hours(meeting: Meeting) -> Decimal | None:
    """The meeting's length in hours, to one decimal (None when its start or end is unknown)."""
    if not (meeting.starts_at and meeting.ends_at):
        return None
    seconds = Decimal((meeting.ends_at - meeting.starts_at).total_seconds())
    return (seconds / 3600).quantize(Decimal("0.1")).normalize()


def format_hours(hours: Decimal | None) -> str:
    """Decimal(4) -> "4 ore", Decimal("1.5") -> "1,5 ore", Decimal(1) -> "1 ora"; None -> ""."""
    if hours is None:
        return ""
    text = f"{hours.normalize():f}".replace(".", ",")
    # ngettext needs a whole number to choose the form: 1 -> "ora"; anything else (0, 1,5, 4) -> "ore".
    count = 1 if hours == 1 else 2
    return ngettext("%(hours)s ora", "%(hours)s ore", count) % {"hours": text}


def _sum_hours(meetings: list[Meeting]) -> Decimal | None:
    known = [hours for hours in map(meeting_hours, meetings) if hours is not None]
    return sum(known, Decimal(0)).normalize() if known else None


def normalize_code(text: str) -> str:
    """What a person typed ("abcde-fghjk ", "ABCDE FGHJK") as the stored code ("ABCDEFGHJK")."""
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())[:32]


# --- Who attended what ------------------------------------------------------------------------------------------------
def attended_in_lab(*, email: str, lab_id: int) -> list[Registration]:
    """The person's attended registrations in the lab's meetings held so far, in date order."""
    return list(
        Registration.objects.filter(email__iexact=email, attended=True, meeting__lab_id=lab_id)
        .filter(held_meetings_q("meeting__"))
        .select_related("meeting", "meeting__lab", "meeting__venue")
        .order_by("meeting__starts_at", "meeting__order", "pk")
    )


def held_meetings_q(prefix: str = "") -> Q:
    """Meetings that took place: not cancelled and started by now."""
    return Q(**{f"{prefix}cancelled": False, f"{prefix}starts_at__lte": timezone.now()})


def is_held(meeting: Meeting) -> bool:
    """held_meetings_q() for one meeting already loaded (pinned against it in tests)."""
    return not meeting.cancelled and meeting.has_started


def attended_meetings(certificate: Certificate) -> list[Meeting]:
    """The meetings a certificate covers: its meeting, or the person's attended meetings of the lab (for the PDF)."""
    if certificate.kind == Certificate.Kind.MEETING:
        return [certificate.meeting]
    return [r.meeting for r in attended_in_lab(email=certificate.email, lab_id=certificate.lab_id)]


# --- Issuing ----------------------------------------------------------------------------------------------------------
@dataclass
class _Facts:
    registration: Registration
    attended: list[Meeting]
    offered: list[Meeting]


def _facts(registration: Registration, kind: str) -> _Facts:
    if kind == Certificate.Kind.MEETING:
        # Attendance confirmed early at the door is not yet a meeting attended: the same "held" rule as a lab's.
        if not registration.attended or not is_held(registration.meeting):
            raise NoAttendance(registration.pk)
        return _Facts(registration, [registration.meeting], [registration.meeting])
    attended = attended_in_lab(email=registration.email, lab_id=registration.meeting.lab_id)
    if not attended:
        raise NoAttendance(registration.pk)
    offered = list(Meeting.objects.filter(held_meetings_q(), lab_id=registration.meeting.lab_id))
    # The token in the email and on the certificate is the one of the person's latest meeting attended.
    return _Facts(attended[-1], [r.meeting for r in attended], offered)


def _snapshot(facts: _Facts) -> dict:
    person = facts.registration
    return {
        "registration": person,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "organization": person.organization,
        "role": person.role,
        "hours_attended": _sum_hours(facts.attended),
        "hours_offered": _sum_hours(facts.offered),
        "meetings_attended": len(facts.attended),
        "meetings_offered": len(facts.offered),
    }


def certificate_issue(*, registration_id: int, kind: str) -> Certificate:
    """The certificate of the registration's person for its meeting (kind "meeting") or for its lab (kind "lab").

    Creates it the first time; afterwards returns the same row with the snapshot (name, hours) brought up to date.
    Raises NoAttendance when the person was not marked present (at that meeting, or at any held meeting of the lab).
    """
    registration = Registration.objects.select_related("meeting", "meeting__lab").get(pk=registration_id)
    if is_anonymised(registration.email):
        raise NoAttendance(registration.pk)
    facts = _facts(registration, kind)
    values = _snapshot(facts)
    lookup = {"kind": kind, "email__iexact": registration.email, "lab_id": registration.meeting.lab_id}
    if kind == Certificate.Kind.MEETING:
        lookup["meeting_id"] = registration.meeting_id
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(**lookup).first()
        if certificate is None:
            try:
                with transaction.atomic():  # a savepoint: a concurrent first issue wins, this one reads its row
                    return Certificate.objects.create(
                        kind=kind,
                        email=registration.email.strip().lower(),
                        lab_id=registration.meeting.lab_id,
                        meeting_id=registration.meeting_id if kind == Certificate.Kind.MEETING else None,
                        **values,
                    )
            except IntegrityError:
                certificate = Certificate.objects.select_for_update().get(**lookup)
        changed = [name for name, value in values.items() if getattr(certificate, name) != value]
        if changed:
            for name in changed:
                setattr(certificate, name, values[name])
            certificate.save(update_fields=[*changed, "updated_at"])
        return certificate


# --- Bulk issue and email ---------------------------------------------------------------------------------------------
@dataclass
class SendResult:
    issued: list[Certificate] = field(default_factory=list)  # every certificate of the attendees (new or not)
    queued: list[Certificate] = field(default_factory=list)  # emailed now
    already_sent: list[Certificate] = field(default_factory=list)  # emailed by an earlier run


def _send_once(certificate: Certificate, result: SendResult) -> None:
    now = timezone.now()
    # The conditional UPDATE is the claim: of two runs, only one finds emailed_at empty.
    claimed = Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=True).update(
        emailed_at=now, updated_at=now
    )
    if not claimed:
        result.already_sent.append(certificate)
        return
    registration = certificate.registration
    message = email_enqueue(
        to=certificate.email,
        template=EMAIL_TEMPLATE,
        context={
            "registration_id": registration.pk,
            "certificate_id": certificate.pk,
            "certificate_kind": certificate.kind,
            "certificate_code": certificate.code,
            "certificate_display_code": certificate.display_code,
        },
        language=registration.language or "it",
        registration_id=registration.pk,
    )
    Certificate.objects.filter(pk=certificate.pk).update(email_message=message)
    certificate.emailed_at, certificate.email_message = now, message
    result.queued.append(certificate)


def _attendees(registrations) -> list[Registration]:
    """One registration per person (the latest attended), anonymised rows left out."""
    people: dict[str, Registration] = {}
    for registration in registrations.order_by("meeting__starts_at", "pk"):
        if not is_anonymised(registration.email):
            people[registration.email.strip().lower()] = registration
    return list(people.values())


@transaction.atomic
def certificates_send(*, meeting_id: int | None = None, lab_id: int | None = None) -> SendResult:
    """Issue the certificates of everybody marked present at the meeting (per-meeting certificates) or at any held
    meeting of the lab (per-lab certificates), and queue one email for each certificate not emailed before."""
    if (meeting_id is None) == (lab_id is None):
        raise ValueError("certificates_send needs exactly one of meeting_id and lab_id")
    attended = Registration.objects.filter(attended=True)
    if meeting_id is not None:
        kind, people = Certificate.Kind.MEETING, _attendees(attended.filter(meeting_id=meeting_id))
    else:
        held = attended.filter(meeting__lab_id=lab_id).filter(held_meetings_q("meeting__"))
        kind, people = Certificate.Kind.LAB, _attendees(held)
    result = SendResult()
    for registration in people:
        certificate = certificate_issue(registration_id=registration.pk, kind=kind)
        result.issued.append(certificate)
        _send_once(certificate, result)
    return result


def certificates_of_registration(registration: Registration) -> dict[str, bool]:
    """Which certificates the registration's person can download from its page: {"meeting": …, "lab": …}."""
    if not registration.attended or is_anonymised(registration.email):
        return {"meeting": False, "lab": False}
    # A lab certificate is worth offering beside the meeting's when the lab has more than this one meeting.
    several = Meeting.objects.filter(lab_id=registration.meeting.lab_id).exclude(pk=registration.meeting_id).exists()
    return {"meeting": True, "lab": several}
