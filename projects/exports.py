"""Open data: the catalogue (with the filters of /progetti/) as CSV and JSON, streamed row by row.

Both formats carry the same fields, named after the model so that they stay stable. Dates are ISO 8601 with their
precision ("day", "month", "year": the catalogue often knows only the month or the year); amounts are plain decimals in
euro with a dot ("8739950.00"), which every tool parses, unlike the Italian display format.

Licence: CC BY 4.0 (attribution "AnciLab – ANCI Lombardia"). The JSON document states it in its first key; the CSV
stays a plain table (header row first, no comment lines, which break spreadsheet and pandas imports) and states it in
the HTTP ``Link: <…>; rel="license"`` header, in the download page and in the dataset's documentation.

Every column is described in docs/open-data.md (the dataset's schema): keep it in step with FIELDS. ``funding_lines`` is
a list of objects (programme, measure, amount_eur); the CSV, a flat table, carries it as that JSON array in one cell.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from projects.models import FundingLine, Project, ProjectPartner

LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "AnciLab – ANCI Lombardia"
CHUNK_SIZE = 1000
SLUG_PLACEHOLDER = "slug-placeholder"

FIELDS = [
    "slug",
    "url",
    "title",
    "title_en",
    "acronym",
    "cup",
    "project_code",
    "summary",
    "summary_en",
    "status",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "budget_eur",
    "budget_note",
    "programme",
    "funding_lines",
    "eu_funded",
    "lead_organization",
    "anci_role",
    "partners",
    "partner_roles",
    "areas",
    "with_ancilab",
    "updated_at",
]

# The columns read from the database, not the published schema: they overlap with FIELDS only where a column is
# copied as-is (_record maps one to the other), and a model rename must not silently rename a public column.
VALUE_FIELDS = [
    "pk",
    "slug",
    "title",
    "title_en",
    "acronym",
    "cup",
    "project_code",
    "summary",
    "summary_en",
    "status",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "budget",
    "budget_note",
    "programme__name",
    "programme__eu_funded",
    "lead_organization__name",
    "anci_role",
    "with_ancilab",
    "updated_at",
]


def _related(through, ids: list[int], value: str) -> dict[int, list[str]]:
    """{project id: [value, ...]} for a chunk of projects, in one query."""
    found: dict[int, list[str]] = defaultdict(list)
    for project_id, item in through.objects.filter(project_id__in=ids).order_by(value).values_list("project_id", value):
        found[project_id].append(item)
    return found


def _partners(ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """{project id: [(organisation name, role), ...]} by name, for a chunk of projects, in one query."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = ProjectPartner.objects.filter(project_id__in=ids).order_by("organization__name")
    for project_id, name, role in rows.values_list("project_id", "organization__name", "role"):
        found[project_id].append((name, role))
    return found


def _funding(ids: list[int]) -> dict[int, list[dict]]:
    """{project id: [{programme, measure, amount_eur, eu_funded}, ...]} for a chunk of projects, in one query."""
    found: dict[int, list[dict]] = defaultdict(list)
    lines = FundingLine.objects.filter(project_id__in=ids).order_by("project_id", "order", "pk")
    for project_id, programme, eu_funded, measure, amount in lines.values_list(
        "project_id", "programme__name", "programme__eu_funded", "measure", "amount"
    ):
        found[project_id].append(
            {
                "programme": programme,
                "measure": measure,
                "amount_eur": f"{amount:.2f}" if amount is not None else None,
                "eu_funded": eu_funded,
            }
        )
    return found


def _record(
    row: dict, url_template: str, areas: list[str], partners: list[tuple[str, str]], funding: list[dict]
) -> dict:
    return {
        "slug": row["slug"],
        "url": url_template.replace(SLUG_PLACEHOLDER, row["slug"]),
        "title": row["title"],
        "title_en": row["title_en"],
        "acronym": row["acronym"],
        "cup": row["cup"],
        "project_code": row["project_code"],
        "summary": row["summary"],
        "summary_en": row["summary_en"],
        "status": row["status"],
        "start_date": row["start_date"].isoformat() if row["start_date"] else None,
        "start_precision": row["start_precision"] if row["start_date"] else None,
        "end_date": row["end_date"].isoformat() if row["end_date"] else None,
        "end_precision": row["end_precision"] if row["end_date"] else None,
        "budget_eur": f"{row['budget']:.2f}" if row["budget"] is not None else None,
        "budget_note": row["budget_note"],
        "programme": row["programme__name"],
        "funding_lines": [{key: line[key] for key in ("programme", "measure", "amount_eur")} for line in funding],
        # The same rule as Project.eu_funded: the main programme or one of the lines is an EU fund.
        "eu_funded": bool(row["programme__eu_funded"]) or any(line["eu_funded"] for line in funding),
        "lead_organization": row["lead_organization__name"],
        "anci_role": row["anci_role"],
        "partners": [name for name, _ in partners],
        "partner_roles": [role for _, role in partners],
        "areas": areas,
        "with_ancilab": row["with_ancilab"],
        "updated_at": row["updated_at"].isoformat(),
    }


def _records(queryset: QuerySet) -> Iterator[dict]:
    """Plain rows (values(), no model instances) read with iterator() so that memory stays flat on 10,000 projects;
    areas, partners and funding lines are read once per chunk of CHUNK_SIZE. Cheaper than prefetch_related over the whole export."""
    url_template = settings.SITE_URL + reverse("projects:detail", kwargs={"slug": SLUG_PLACEHOLDER})
    rows = queryset.prefetch_related(None).values(*VALUE_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        ids = [row["pk"] for row in chunk]
        areas = _related(Project.areas.through, ids, "area__slug")
        partners = _partners(ids)
        funding = _funding(ids)
        for row in chunk:
            pk = row["pk"]
            yield _record(row, url_template, areas.get(pk, []), partners.get(pk, []), funding.get(pk, []))


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(queryset: QuerySet) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(FIELDS)
    for record in _records(queryset):
        row = []
        for name in FIELDS:
            value = record[name]
            if name == "funding_lines":
                value = json.dumps(value, ensure_ascii=False) if value else ""
            elif isinstance(value, list):
                value = ";".join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif value is None:
                value = ""
            row.append(value)
        yield writer.writerow(row)


def json_chunks(queryset: QuerySet, *, filters: dict) -> Iterable[str]:
    head = {
        "license": {"name": LICENSE_NAME, "url": LICENSE_URL, "attribution": ATTRIBUTION},
        "source": f"{settings.SITE_URL}/progetti/",
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "filters": filters,
    }
    # The document is written by hand around the items so that they can be streamed one by one.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    separator = ""
    for record in _records(queryset):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ", "
    yield "]}\n"
