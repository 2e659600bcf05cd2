"""The figures funders ask for (FAMI and other EU programmes), for any set of meetings: one lab, or every lab of a
project. Registrations and attendance by type of body and by province, hours attended, bodies reached.

Registrations counted are the confirmed ones; attendance counts one per person and meeting marked present. Hours
attended are the meeting's length (end minus start) for each attendance; a meeting without an end has no known length,
so its attendances are counted apart and the report says so instead of guessing. Rows anonymised by the GDPR purge keep
their organisation and its type, so these figures survive the retention period. The satisfaction average is the mean
of the scores the attendees gave in the post-meeting questionnaire (the surveys app); with no answer the report says
"non disponibile" rather than showing a number nobody measured.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.charts import Chart, bar_chart
from core.spreadsheets import safe_cell
from labs.models import Lab, Meeting
from projects.models import Project
from registrations.models import OrganizationType, Registration

from .municipalities import UNKNOWN, normalize, province_label, province_of
from .workbooks import workbook_bytes

HOURS_PLACES = Decimal("0.01")


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(HOURS_PLACES)


@dataclass
class ReportRow:
    key: str
    label: str
    registrations: int = 0
    attended: int = 0
    minutes: int = 0  # attended minutes, for the meetings whose length is known
    attended_unknown_length: int = 0  # attendances at meetings without an end

    @property
    def hours(self) -> Decimal:
        return _hours(self.minutes)

    def add(self, counts: dict, length: int | None) -> None:
        self.registrations += counts["registrations"]
        self.attended += counts["attended"]
        if length is None:
            self.attended_unknown_length += counts["attended"]
        else:
            self.minutes += counts["attended"] * length


@dataclass
class MeetingRow(ReportRow):
    meeting: Meeting | None = None
    length: int | None = None  # minutes; None when the meeting has no end (or no date)

    @property
    def length_hours(self) -> Decimal | None:
        return None if self.length is None else _hours(self.length)


@dataclass
class Report:
    by_type: list[ReportRow]
    by_province: list[ReportRow]
    by_meeting: list[MeetingRow]
    bodies_registered: int  # distinct bodies with at least one confirmed registration
    bodies_attended: int  # distinct bodies with at least one person marked present
    # None means "non disponibile" (nobody answered, or no survey app installed), never zero.
    satisfaction: Decimal | None = None
    # In presenza / online (Registration.attendance_mode): of every meeting, each in its one mode or as chosen.
    by_mode: list[ReportRow] = field(default_factory=list)
    type_chart: Chart | None = field(default=None, repr=False)
    province_chart: Chart | None = field(default=None, repr=False)

    @property
    def total_registrations(self) -> int:
        return sum(r.registrations for r in self.by_type)

    @property
    def total_attended(self) -> int:
        return sum(r.attended for r in self.by_type)

    @property
    def hours_attended(self) -> Decimal:
        return _hours(sum(r.minutes for r in self.by_type))

    @property
    def attended_unknown_length(self) -> int:
        return sum(r.attended_unknown_length for r in self.by_type)

    @property
    def meetings_without_end(self) -> int:
        return sum(1 for r in self.by_meeting if r.length is None)


def _length(meeting: Meeting) -> int | None:
    if not meeting.starts_at or not meeting.ends_at:
        return None
    return int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)


def _counts(meetings: QuerySet[Meeting]) -> list[dict]:
    """One query whatever the number of registrants: counts grouped by meeting, body and type of body."""
    return list(
        Registration.objects.filter(meeting__in=meetings)
        .values("meeting_id", "organization", "organization_type", "attendance_mode")
        .annotate(
            registrations=Count("id", filter=Q(status=Registration.Status.CONFIRMED)),
            attended=Count("id", filter=Q(attended=True)),
        )
        .order_by()
    )


def _distinct_bodies(names: Iterable[str]) -> int:
    # "Comune di Bergamo" and "comune di  Bergamo" are one body (the same normalisation as the province lookup).
    return len({normalize(name) for name in names} - {""})


# The surveys app depends on this one, so it registers its average here when it starts (surveys/apps.py) instead of
# this module importing it: registrations -> None, surveys -> registrations.
SatisfactionSource = Callable[[QuerySet[Registration]], Decimal | None]
satisfaction_source: SatisfactionSource | None = None


def meetings_report(*, meetings: QuerySet[Meeting]) -> Report:
    """The funders' figures for these meetings (a lab's, a project's): two queries, and one for the satisfaction
    average when the surveys app is installed."""
    meeting_list = list(meetings.select_related("lab").order_by("starts_at", "lab__title", "order", "pk"))
    rows = {m.pk: MeetingRow(str(m.pk), m.title, meeting=m, length=_length(m)) for m in meeting_list}
    types: dict[str, ReportRow] = {}
    provinces: dict[str, ReportRow] = {}
    modes: dict[str, ReportRow] = {}
    registered, attended = [], []
    for counts in _counts(meetings):
        if not (counts["registrations"] or counts["attended"]):
            continue
        meeting_row = rows[counts["meeting_id"]]
        meeting_row.add(counts, meeting_row.length)
        value = counts["organization_type"]
        types.setdefault(value, ReportRow(value, "")).add(counts, meeting_row.length)
        code = province_of(counts["organization"])
        provinces.setdefault(code, ReportRow(code, province_label(code))).add(counts, meeting_row.length)
        mode = counts["attendance_mode"]
        modes.setdefault(mode, ReportRow(mode, str(Meeting.Mode(mode).label))).add(counts, meeting_row.length)
        if counts["registrations"]:
            registered.append(counts["organization"])
        if counts["attended"]:
            attended.append(counts["organization"])

    by_type = []
    for value, label in OrganizationType.choices:  # the order of the registration form
        if value in types:
            types[value].label = str(label)
            by_type.append(types[value])
    by_province = sorted((r for r in provinces.values() if r.key != UNKNOWN), key=lambda r: r.label)
    if UNKNOWN in provinces:
        by_province.append(provinces[UNKNOWN])
    report = Report(
        by_type=by_type,
        by_province=by_province,
        by_meeting=list(rows.values()),
        bodies_registered=_distinct_bodies(registered),
        bodies_attended=_distinct_bodies(attended),
        satisfaction=(
            satisfaction_source(Registration.objects.filter(meeting__in=meetings)) if satisfaction_source else None
        ),
        by_mode=[modes[mode] for mode in Meeting.Mode.values if mode in modes],
    )
    # The same accessible SVG bar chart as the public home page (core/charts.py); the tables repeat the figures.
    report.type_chart = bar_chart(
        "type",
        _("Iscrizioni confermate per tipo di ente"),
        ", ".join(f"{r.label}: {r.registrations}" for r in by_type) or _("Nessuna iscrizione."),
        [(r.label, r.registrations) for r in by_type],
        label_header=_("Tipo di ente"),
        value_header=_("Iscrizioni confermate"),
    )
    report.province_chart = bar_chart(
        "province",
        _("Iscrizioni confermate per provincia"),
        ", ".join(f"{r.label}: {r.registrations}" for r in by_province) or _("Nessuna iscrizione."),
        [(r.label, r.registrations) for r in by_province],
        label_header=_("Provincia"),
        value_header=_("Iscrizioni confermate"),
    )
    return report


def lab_report(lab: Lab) -> Report:
    return meetings_report(meetings=Meeting.objects.filter(lab=lab))


def project_report(project: Project) -> Report:
    return meetings_report(meetings=Meeting.objects.filter(lab__project=project))


def _csv_decimal(value: Decimal) -> str:
    # Italian Excel reads "3.50" as text or a date (3 May): the decimal comma, and no thousands separator.
    return format(value, "f").replace(".", ",")


def report_csv(report: Report, *, subject_label: str, subject: str) -> str:
    """The report's breakdowns and meetings as one table, for Italian Excel like the other exports: ";" between
    columns, a UTF-8 BOM (core/import_export_formats.py), headers as the workbook's, decimals with a comma, and
    text typed by people (titles, bodies' names) never run as a formula (core/spreadsheets.py)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            subject_label,
            _("Raggruppamento"),
            _("Voce"),
            _("Iscrizioni confermate"),
            _("Presenze"),
            _("Ore di presenza"),
            _("Presenze senza durata"),
        ]
    )
    dimensions = (
        (_("Tipo di ente"), report.by_type),
        (_("Provincia"), report.by_province),
        (_("Partecipazione"), report.by_mode),
    )
    for dimension, rows in dimensions:
        for row in rows:
            cells = [subject, dimension, row.label, row.registrations, row.attended, _csv_decimal(row.hours)]
            writer.writerow([safe_cell(cell) for cell in [*cells, row.attended_unknown_length]])
    for row in report.by_meeting:
        meeting = row.meeting
        label = f"{meeting.lab.title} – {meeting.title}"
        if meeting.starts_at:
            label += f" ({formats.date_format(timezone.localtime(meeting.starts_at), 'd/m/Y H:i')})"
        hours = _csv_decimal(row.hours) if row.length is not None else _("non disponibile")
        cells = [subject, _("Incontro"), label, row.registrations, row.attended, hours, row.attended_unknown_length]
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


def lab_report_csv(lab: Lab) -> str:
    return report_csv(lab_report(lab), subject_label=_("Laboratorio"), subject=lab.title)


def project_report_csv(project: Project) -> str:
    return report_csv(project_report(project), subject_label=_("Progetto"), subject=project.title)


def _breakdown_sheet(title: str, heading: str, rows: list[ReportRow]) -> tablib.Dataset:
    sheet = tablib.Dataset(
        title=title,
        headers=[heading, _("Iscrizioni confermate"), _("Presenze"), _("Ore di presenza"), _("Presenze senza durata")],
    )
    for row in rows:
        sheet.append([row.label, row.registrations, row.attended, row.hours, row.attended_unknown_length])
    return sheet


def report_xlsx(report: Report, *, subject: str) -> bytes:
    """The report as a workbook: a summary sheet and one named sheet per breakdown; numbers stay numbers, dates are
    real date cells in local time (Excel has no time zones, so the cell is naive)."""
    summary = tablib.Dataset(title=_("Sintesi"), headers=[_("Indicatore"), _("Valore")])
    summary.append([_("Oggetto del rapporto"), subject])
    summary.append([_("Iscrizioni confermate"), report.total_registrations])
    summary.append([_("Presenze"), report.total_attended])
    summary.append([_("Ore di presenza"), report.hours_attended])
    summary.append(
        [_("Presenze a incontri senza orario di fine (ore non calcolabili)"), report.attended_unknown_length]
    )
    summary.append([_("Enti raggiunti (almeno un iscritto confermato)"), report.bodies_registered])
    summary.append([_("Enti presenti (almeno un partecipante presente)"), report.bodies_attended])
    # A number when there is one (a real numeric cell), the reason when there is none.
    summary.append(
        [
            _("Soddisfazione media dei partecipanti"),
            report.satisfaction if report.satisfaction is not None else satisfaction_text(report),
        ]
    )

    meetings = tablib.Dataset(
        title=_("Per incontro"),
        headers=[
            _("Laboratorio"),
            _("Incontro"),
            _("Inizio"),
            _("Durata (ore)"),
            _("Iscrizioni confermate"),
            _("Presenze"),
            _("Ore di presenza"),
        ],
    )
    for row in report.by_meeting:
        starts_at = row.meeting.starts_at
        meetings.append(
            [
                row.meeting.lab.title,
                row.meeting.title,
                timezone.localtime(starts_at).replace(tzinfo=None) if starts_at else None,
                row.length_hours if row.length is not None else _("non disponibile"),
                row.registrations,
                row.attended,
                row.hours if row.length is not None else _("non disponibile"),
            ]
        )
    return workbook_bytes(
        summary,
        _breakdown_sheet(_("Per tipo di ente"), _("Tipo di ente"), report.by_type),
        _breakdown_sheet(_("Per provincia"), _("Provincia"), report.by_province),
        _breakdown_sheet(_("Per partecipazione"), _("Partecipazione"), report.by_mode),
        meetings,
    )


def satisfaction_text(report: Report) -> str:
    if report.satisfaction is None:
        return _("non disponibile (nessun questionario di gradimento raccolto)")
    return number_format(report.satisfaction, 2)
