"""Open data: the catalogue (with the filters of /progetti/) as CSV and JSON, streamed row by row.

Both formats carry the same fields, named after the model so that they stay stable. Dates are ISO 8601 with their
precision ("day", "month", "year": the catalogue often knows only the month or the year); amounts are plain decimals in
euro with a dot ("8739950.00"), which every tool parses, unlike the Italian display format.

Licence: CC BY 4.0 (attribution "AnciLab – ANCI Lombardia"). The JSON document states it in its first key; the CSV
stays a plain table (header row first, no comment lines, which break spreadsheet and pandas imports) and states it in
the HTTP ``Link: <…>; rel="license"`` header, in the download page and in the dataset's documentation.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from projects.models import Area, Project

LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "AnciLab – ANCI Lombardia"
CHUNK_SIZE = 1000

FIELDS = [
    "slug",
    "url",
    "title",
    "title_en",
    "acronym",
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
    "lead_organization",
    "anci_role",
    "partners",
    "areas",
    "with_ancilab",
    "updated_at",
]


def export_queryset(queryset: QuerySet) -> QuerySet:
    """The filtered catalogue with what a row needs: FKs joined, areas and partners prefetched per chunk."""
    return (
        queryset.select_related("programme", "lead_organization")
        .prefetch_related(None)
        .prefetch_related(Prefetch("areas", queryset=Area.objects.only("slug")), "partners")
    )


def project_record(project: Project) -> dict:
    return {
        "slug": project.slug,
        "url": f"{settings.SITE_URL}{project.get_absolute_url()}",
        "title": project.title,
        "title_en": project.title_en,
        "acronym": project.acronym,
        "summary": project.summary,
        "summary_en": project.summary_en,
        "status": project.status,
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "start_precision": project.start_precision if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "end_precision": project.end_precision if project.end_date else None,
        "budget_eur": f"{project.budget:.2f}" if project.budget is not None else None,
        "budget_note": project.budget_note,
        "programme": project.programme.name if project.programme else None,
        "lead_organization": project.lead_organization.name if project.lead_organization else None,
        "anci_role": project.anci_role,
        "partners": [organization.name for organization in project.partners.all()],
        "areas": [area.slug for area in project.areas.all()],
        "with_ancilab": project.with_ancilab,
        "updated_at": project.updated_at.isoformat(),
    }


def _records(queryset: QuerySet) -> Iterator[dict]:
    # iterator() keeps memory flat on 10,000 rows; with chunk_size the prefetches run once per chunk.
    for project in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield project_record(project)


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
            if isinstance(value, list):
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
