"""The home page's "portal in numbers": figures and charts computed once per content version (see cache.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.cache import cached_fragment
from core.charts import bar_chart
from core.templatetags.portal import format_euro
from projects.models import Area, Project


def portal_numbers() -> dict:
    return cached_fragment("home-numbers", _build_numbers)


def _build_numbers() -> dict:
    projects = Project.objects.published()
    by_status = dict(projects.order_by().values_list("status").annotate(n=Count("pk")))
    status_rows = [(capfirst(label), by_status.get(value, 0)) for value, label in Project.Status.choices]
    areas = (
        Area.objects.annotate(n=Count("projects", filter=Q(projects__published=True)))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )
    area_rows = [(area.display_name, area.n) for area in areas]
    budget = (
        projects.filter(start_date__isnull=False, budget__isnull=False)
        .annotate(year=ExtractYear("start_date"))
        .order_by()
        .values("year")
        .annotate(total=Sum("budget"))
        .order_by("year")
    )
    budget_rows = [(str(row["year"]), row["total"] or Decimal(0)) for row in budget]
    total_projects = sum(value for _, value in status_rows)
    total_budget = sum((value for _, value in budget_rows), Decimal(0))
    return {
        "total_projects": total_projects,
        "total_budget": format_euro(total_budget),
        "charts": [
            bar_chart(
                "status",
                _("Progetti per stato"),
                _("Numero di progetti pubblicati per stato: %(rows)s.") % {"rows": _describe(status_rows, str)},
                status_rows,
                label_header=_("Stato"),
                value_header=_("Progetti"),
            ),
            bar_chart(
                "areas",
                _("Progetti per area tematica"),
                _("Numero di progetti pubblicati per area tematica: %(rows)s.") % {"rows": _describe(area_rows, str)},
                area_rows,
                label_header=_("Area tematica"),
                value_header=_("Progetti"),
            ),
            bar_chart(
                "budget",
                _("Budget per anno di avvio"),
                _("Somma dei budget dei progetti per anno di inizio: %(rows)s.")
                % {"rows": _describe(budget_rows, format_euro)},
                budget_rows,
                label_header=_("Anno di avvio"),
                value_header=_("Budget"),
                fmt=format_euro,
            ),
        ],
    }


def _describe(rows, fmt) -> str:
    return "; ".join(f"{label} {fmt(value)}" for label, value in rows) or _("nessun dato")
