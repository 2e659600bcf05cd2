"""The projects a printed catalogue lists: the public catalogue's own filters (projects.filters.ProjectFilter).

The brochure honours the same GET parameters as /progetti/ (area, stato, programma, anno, q, budget_min, budget_max),
so "Scarica il PDF" on a filtered list prints that list. Projects are always grouped by status and sorted by title.
"""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from projects.filters import ProjectFilter
from projects.models import Project

SECTIONS = (Project.Status.ONGOING, Project.Status.PLANNED, Project.Status.COMPLETED)


def catalogue_filter(data) -> ProjectFilter:
    return ProjectFilter(data, queryset=Project.objects.published())


def clean_params(data) -> dict[str, str]:
    """The catalogue's parameters present in ``data``, as plain strings (stored on a PdfExport, passed to the task)."""
    names = set(ProjectFilter.base_filters) - {"ordina"}
    return {name: str(data.get(name)).strip()[:200] for name in sorted(names) if data.get(name)}


def fingerprint(projects: QuerySet[Project]) -> tuple[list[int], object]:
    """The ids listed and their latest change: what a cached catalogue depends on (two queries, any size)."""
    ids = sorted(set(projects.values_list("pk", flat=True)))
    latest = projects.order_by().aggregate(latest=Max("updated_at"))["latest"] if ids else None
    return ids, latest


def catalogue_rows(ids: list[int]) -> list[Project]:
    """The projects with everything a block prints, in a fixed number of queries."""
    return list(
        Project.objects.filter(pk__in=ids)
        .select_related("programme", "lead_organization")
        .prefetch_related("areas", "partnerships__organization", "funding_lines__programme")
        .order_by("title")
    )


def sections(projects: list[Project]) -> list[dict]:
    labels = {
        Project.Status.ONGOING: _("In corso"),
        Project.Status.PLANNED: _("In progettazione"),
        Project.Status.COMPLETED: _("Conclusi"),
    }
    result = []
    for status in SECTIONS:
        items = [p for p in projects if p.status == status]
        if items:
            result.append({"status": status, "title": labels[status], "projects": items})
    return result


def describe_filters(filterset: ProjectFilter) -> list[str]:
    """Human-readable filters for the cover ("Area tematica: Welfare"). A free-text query is summarised, not quoted:
    the cover (and so the cache key) must not vary with arbitrary text."""
    lines = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "") or name == "ordina":
            continue
        field = filterset.form.fields[name]
        if name == "q":
            lines.append(_("Selezione da una ricerca nel catalogo"))
            continue
        if name.startswith("budget"):
            # Summarised like q: a printed amount would make budget_max=99999999997, …98, … a document each, all
            # listing the same projects (issue 14). The cover still lists the projects selected.
            if _("Selezione per importo del finanziamento") not in lines:
                lines.append(_("Selezione per importo del finanziamento"))
            continue
        if hasattr(field, "choices"):
            value = dict(field.choices).get(value, value)
        lines.append(_("%(label)s: %(value)s") % {"label": field.label, "value": value})
    return lines
