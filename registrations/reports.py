"""The figures funders ask for, per lab: registrations and attendance by organisation type and by province.

Registrations counted are the confirmed ones; attendance counts one per person and meeting marked present. Rows
anonymised by the GDPR purge keep their organisation and its type, so these figures survive the retention period.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.charts import bar_chart
from core.spreadsheets import safe_cell
from labs.models import Lab
from registrations.models import OrganizationType, Registration

from .municipalities import UNKNOWN, province_label, province_of


@dataclass
class ReportRow:
    key: str
    label: str
    registrations: int = 0
    attended: int = 0


def _counts(lab: Lab, group_by: str) -> list[dict]:
    return list(
        Registration.objects.filter(meeting__lab=lab)
        .values(group_by)
        .annotate(
            registrations=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
            attended=Count("id", filter=Q(attended=True)),
        )
        .order_by(group_by)
    )


def by_organization_type(lab: Lab) -> list[ReportRow]:
    counts = {row["organization_type"]: row for row in _counts(lab, "organization_type")}
    rows = []
    for value, label in OrganizationType.choices:
        row = counts.get(value)
        if row and (row["registrations"] or row["attended"]):
            rows.append(ReportRow(value, str(label), row["registrations"], row["attended"]))
    return rows


def by_province(lab: Lab) -> list[ReportRow]:
    rows: dict[str, ReportRow] = {}
    for row in _counts(lab, "organization"):
        code = province_of(row["organization"])
        target = rows.setdefault(code, ReportRow(code, province_label(code)))
        target.registrations += row["registrations"]
        target.attended += row["attended"]
    ordered = sorted((r for r in rows.values() if r.key != UNKNOWN), key=lambda r: r.label)
    if UNKNOWN in rows:
        ordered.append(rows[UNKNOWN])
    return [r for r in ordered if r.registrations or r.attended]


def lab_report(lab: Lab) -> dict:
    types, provinces = by_organization_type(lab), by_province(lab)
    return {
        "by_type": types,
        "by_province": provinces,
        "total_registrations": sum(r.registrations for r in types),
        "total_attended": sum(r.attended for r in types),
        # The same accessible SVG bar chart as the public home page (core/charts.py).
        "type_chart": bar_chart(
            "type",
            _("Iscrizioni confermate per tipo di ente"),
            ", ".join(f"{r.label}: {r.registrations}" for r in types) or _("Nessuna iscrizione."),
            [(r.label, r.registrations) for r in types],
            label_header=_("Tipo di ente"),
            value_header=_("Iscrizioni confermate"),
        ),
        "province_chart": bar_chart(
            "province",
            _("Iscrizioni confermate per provincia"),
            ", ".join(f"{r.label}: {r.registrations}" for r in provinces) or _("Nessuna iscrizione."),
            [(r.label, r.registrations) for r in provinces],
            label_header=_("Provincia"),
            value_header=_("Iscrizioni confermate"),
        ),
    }


def lab_report_csv(lab: Lab) -> str:
    report = lab_report(lab)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("laboratorio"), _("dimensione"), _("valore"), _("iscrizioni confermate"), _("presenze")])
    for dimension, rows in ((_("tipo di ente"), report["by_type"]), (_("provincia"), report["by_province"])):
        for row in rows:
            writer.writerow(
                [safe_cell(cell) for cell in (lab.title, dimension, row.label, row.registrations, row.attended)]
            )
    return out.getvalue()
