"""The admin index as a dashboard: what staff look at first on a working day.

Every block is computed with a fixed number of queries (one per block) whatever the number of meetings.
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import bar_chart
from labs.models import Meeting
from registrations.models import HOLDS_SEAT, Registration

logger = logging.getLogger(__name__)

UPCOMING_LIMIT = 8
CHART_DAYS = 14


def upcoming_meetings(limit: int = UPCOMING_LIMIT) -> list[Meeting]:
    meetings = list(
        Meeting.objects.upcoming()
        .select_related("lab")
        .annotate(
            seats_taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT)),
            online_seats_taken=Count(
                "registrations",
                filter=Q(registrations__status__in=HOLDS_SEAT, registrations__attendance_mode=Meeting.Mode.ONLINE),
            ),
            waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
            online_waitlisted=Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.WAITLISTED,
                    registrations__attendance_mode=Meeting.Mode.ONLINE,
                ),
            ),
        )[:limit]
    )
    for meeting in meetings:
        if meeting.is_hybrid:
            # `capacity` is the room of a hybrid meeting: its bar counts the in-person seats; online ones are beside.
            meeting.seats_taken -= meeting.online_seats_taken
            meeting.online_fill_percent = (
                round(100 * meeting.online_seats_taken / meeting.online_capacity) if meeting.online_capacity else None
            )
        meeting.fill_percent = round(100 * meeting.seats_taken / meeting.capacity) if meeting.capacity else None
    return meetings


def registrations_per_day(meeting_ids: list[int], days: int = CHART_DAYS) -> list[tuple[datetime.date, int]]:
    """New registrations per day (Rome time) over the last ``days`` days, for the given meetings; zero days included."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    rows = (
        Registration.objects.filter(meeting_id__in=meeting_ids, created_at__date__gte=first)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(total=Count("id"))
        .order_by("day")
    )
    counts = {row["day"]: row["total"] for row in rows}
    return [
        (first + datetime.timedelta(days=n), counts.get(first + datetime.timedelta(days=n), 0)) for n in range(days)
    ]


def outbox_failures(request: HttpRequest) -> dict | None:
    """Failed outgoing emails, once the registrations outbox exists and the user may see it."""
    try:
        model = apps.get_model("registrations", "OutboundEmail")
    except LookupError:
        return None
    if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        return None
    try:
        count = model.objects.filter(status="failed").count()
    except Exception:
        logger.exception("Outbox failures could not be counted")
        return None
    try:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + "?status__exact=failed"
    except NoReverseMatch:
        url = ""
    return {"count": count, "url": url}


QUICK_LINKS = [
    # (permission, admin URL name, label)
    ("labs.add_lab", "admin:labs_lab_add", gettext_lazy("Nuovo laboratorio")),
    ("labs.view_meeting", "admin:labs_meeting_changelist", gettext_lazy("Incontri")),
    ("registrations.view_registration", "admin:registrations_registration_changelist", gettext_lazy("Iscrizioni")),
    ("projects.add_project", "admin:projects_project_import", gettext_lazy("Importa progetti da foglio di calcolo")),
    ("publications.add_article", "admin:publications_article_add", gettext_lazy("Nuova notizia")),
]


def quick_links(request: HttpRequest) -> list[dict]:
    links = []
    for permission, url_name, label in QUICK_LINKS:
        if not request.user.has_perm(permission):
            continue
        try:
            links.append({"url": reverse(url_name), "label": label})
        except NoReverseMatch:
            continue
    return links


def dashboard_context(request: HttpRequest) -> dict:
    context: dict = {"dashboard_quick_links": quick_links(request)}
    if request.user.has_perm("labs.view_meeting"):
        meetings = upcoming_meetings()
        days = registrations_per_day([m.pk for m in meetings]) if meetings else []
        context["dashboard_meetings"] = meetings
        context["dashboard_days"] = days
        if days:
            context["dashboard_chart"] = bar_chart(
                "dashboard",
                _("Iscrizioni al giorno, ultimi %(days)s giorni") % {"days": len(days)},
                _("Nuove iscrizioni ai prossimi incontri: in totale %(total)s, al massimo %(max)s in un giorno.")
                % {"total": sum(t for _, t in days), "max": max(t for _, t in days)},
                [(date_format(day, "j/n"), total) for day, total in days],
                label_header=_("Giorno"),
                value_header=_("Nuove iscrizioni"),
            )
    context["dashboard_outbox"] = outbox_failures(request)
    return context
