"""Personal data of registrants: per-person export and erasure (GDPR art. 15, 17, 20) and the retention purge.

Erasure first cancels the person's registrations to meetings still to come, through the registration service: their
seats go to the waiting lists (those promoted are told) and the person gets no email. Then it anonymises. The
anonymised address is in ANONYMOUS_DOMAIN (registrations/models.py), to which the outbox never queues anything.

Erasure and purge anonymise instead of deleting: the row keeps its meeting, status, attendance, Ente and type of Ente,
so the counts funders are given stay right, while nothing left identifies the person. The audit-trail rows of those
registrations hold the old personal data and are deleted; so are the emails sent to the person.
"""

from __future__ import annotations

import datetime
import secrets

from django.apps import apps
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from registrations.models import ANONYMOUS_DOMAIN, Certificate, Registration

from .services import registrations_cancel

__all__ = ["ANONYMOUS_DOMAIN", "not_anonymised", "person_erase", "person_export", "registrations_purge"]
ANONYMOUS_NAME = "Anonimo"
REGISTRATION_EXPORT_FIELDS = [
    "id",
    "first_name",
    "last_name",
    "email",
    "organization",
    "organization_type",
    "role",
    "attendance_mode",
    "status",
    "language",
    "newsletter_consent",
    "privacy_acknowledged_at",
    "created_at",
    "updated_at",
    "confirmed_at",
    "cancelled_at",
    "attended",
    "attended_at",
]
CERTIFICATE_EXPORT_FIELDS = [
    "code",
    "kind",
    "lab_id",
    "meeting_id",
    "first_name",
    "last_name",
    "organization",
    "role",
    "hours_attended",
    "hours_offered",
    "issued_at",
    "emailed_at",
]
OUTBOX_EXPORT_FIELDS = ["id", "to", "template", "language", "subject", "body_text", "status", "created_at", "sent_at"]


def _outbox_model():
    try:
        return apps.get_model("registrations", "OutboundEmail")
    except LookupError:
        return None


def person_export(*, email: str) -> dict:
    """Everything the portal holds about the person with this address, as JSON-ready data."""
    email = email.strip()
    registrations = Registration.objects.filter(email__iexact=email).select_related("meeting", "meeting__lab")
    data: dict = {
        "email": email,
        "exported_at": timezone.now(),
        "registrations": [
            {field: getattr(r, field) for field in REGISTRATION_EXPORT_FIELDS}
            | {
                "meeting": {
                    "id": r.meeting_id,
                    "title": r.meeting.title,
                    "lab": r.meeting.lab.title,
                    "starts_at": r.meeting.starts_at,
                }
            }
            for r in registrations.order_by("created_at", "pk")
        ],
        "emails": [],
        "certificates": [
            {field: getattr(c, field) for field in CERTIFICATE_EXPORT_FIELDS}
            for c in Certificate.objects.filter(email__iexact=email).order_by("issued_at", "pk")
        ],
    }
    outbox = _outbox_model()
    if outbox is not None:
        rows = outbox.objects.filter(Q(to__iexact=email) | Q(registration__in=registrations)).order_by("created_at")
        data["emails"] = [{field: getattr(row, field, None) for field in OUTBOX_EXPORT_FIELDS} for row in rows]
    data["survey_answers"] = _survey_answers(registrations)
    return data


def _survey_answers(registrations: QuerySet) -> list[dict]:
    """The person's answers to the post-meeting questionnaires (the surveys app depends on this one: it is reached
    through the app registry, and an installation without it exports an empty list)."""
    try:
        Response = apps.get_model("surveys", "Response")
    except LookupError:
        return []
    responses = (
        Response.objects.filter(registration__in=registrations)
        .select_related("registration")
        .prefetch_related("answers__question")
        .order_by("created_at", "pk")
    )
    return [
        {
            "meeting_id": response.registration.meeting_id,
            "answered_at": response.created_at,
            "answers": [
                {"question": answer.question.label, "score": answer.score, "comment": answer.text}
                for answer in sorted(response.answers.all(), key=lambda a: (a.question.position, a.pk))
            ],
        }
        for response in responses
    ]


def _anonymise(registrations: QuerySet) -> int:
    rows = list(registrations)
    if not rows:
        return 0
    ids = [r.pk for r in rows]
    emails = {r.email.lower() for r in rows}
    now = timezone.now()
    for r in rows:
        r.first_name = ANONYMOUS_NAME
        r.last_name = ""
        r.email = f"anonimo-{r.pk}@{ANONYMOUS_DOMAIN}"
        r.role = ""
        r.override_reason = ""  # staff's free text may name the person (registrations typed by the secretariat)
        r.newsletter_consent = False
        # The old token is in emails the person received: it must no longer open anything.
        r.token = secrets.token_urlsafe(32)
        r.updated_at = now
    # bulk_update writes no history row: the point is to leave no copy of the old values behind.
    Registration.objects.bulk_update(
        rows,
        ["first_name", "last_name", "email", "role", "override_reason", "newsletter_consent", "token", "updated_at"],
        batch_size=500,
    )
    Registration.history.filter(id__in=ids).delete()
    # Certificates print the name: they go with the registrations they were issued from (their code stops verifying).
    Certificate.objects.filter(registration_id__in=ids).delete()
    outbox = _outbox_model()
    if outbox is not None:
        outbox.objects.filter(Q(registration_id__in=ids) | Q(to__in=emails)).delete()
    return len(rows)


def person_future_registrations(email: str) -> QuerySet:
    """The person's registrations still in play for meetings to come (or with a date still to be fixed)."""
    return (
        Registration.objects.filter(email__iexact=email.strip())
        .active()
        .filter(Q(meeting__starts_at__isnull=True) | Q(meeting__starts_at__gt=timezone.now()))
    )


@transaction.atomic
def person_erase(*, email: str) -> int:
    """Cancel the person's future registrations (seats to the waiting list, no email to them), then anonymise every
    registration of this address; returns how many were anonymised.

    One transaction: the meetings are locked first (by the cancellation, in pk order like every registration), the
    registration rows after, the same order as the registration services."""
    registrations_cancel(
        registration_ids=list(person_future_registrations(email).values_list("pk", flat=True)), notify_person=False
    )
    count = _anonymise(Registration.objects.filter(email__iexact=email.strip()).select_for_update())
    Certificate.objects.filter(email__iexact=email.strip()).delete()
    return count


def not_anonymised() -> Q:
    return ~Q(email__endswith=f"@{ANONYMOUS_DOMAIN}")


@transaction.atomic
def registrations_purge(*, older_than_months: int, now: datetime.datetime | None = None) -> int:
    """Anonymise the registrations of meetings that ended more than ``older_than_months`` months ago."""
    now = now or timezone.now()
    cutoff = _months_before(now, older_than_months)
    old = Registration.objects.filter(not_anonymised()).filter(
        Q(meeting__ends_at__lt=cutoff)
        | Q(meeting__ends_at__isnull=True, meeting__starts_at__lt=cutoff)
        # A meeting with no date at all: its registrations are as old as their own creation.
        | Q(meeting__starts_at__isnull=True, created_at__lt=cutoff)
    )
    return _anonymise(old.select_for_update(of=("self",)))


def _months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month + 1, day=day)
