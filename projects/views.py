"""Public pages of the catalogue: projects (list, detail, open-data exports), AnciLab's services, site-wide search."""

from __future__ import annotations

import logging
import math

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet, Window
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView

from core.cache import cached_fragments, cached_page, served_page
from core.visibility import PreviewMixin
from labs.models import Lab
from projects import exports
from projects.filters import PAGE_SIZE, ProjectFilter
from projects.models import Area, FundingLine, Project, ProjectPartner, Service
from publications.models import Publication

logger = logging.getLogger(__name__)
PAGE_CACHE_TIMEOUT = 600


def _catalogue_filter(request) -> ProjectFilter:
    return ProjectFilter(request.GET, queryset=Project.objects.published(), request=request)


def _render_cards(ids: list[int]) -> dict[int, str]:
    """The catalogue cards of these projects, rendered; one query for the projects and one for their areas."""
    projects = (
        Project.objects.filter(pk__in=ids)
        # The cards never show the description, the largest column: leave it out of the transfer.
        .defer("description", "description_en")
        .select_related("programme")
        # A plain list (to_attr): reading a prefetched relation through project.areas.all() builds a manager and a
        # queryset per card, a third of a card's template time when nothing is cached.
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.only("slug", "name", "name_en"), to_attr="card_areas")
        )
    )
    template = get_template("projects/_project_card.html")
    list_url = reverse("projects:list")
    return {project.pk: template.render({"project": project, "list_url": list_url}) for project in projects}


MAX_PAGE_NUMBER = 1_000_000


def page_of_ids(queryset: QuerySet, page: str | None) -> Page:
    """One page of the queryset's ids and the total, in one round trip: ``COUNT(*) OVER ()`` rides along with the ids
    (the window covers every row of the filtered set, before LIMIT/OFFSET). As Paginator.get_page(): "abc" shows the
    first page, 9999 or -1 the last one (a stale or mangled link still lands somewhere useful); only such a page past the
    end costs a second query, for the count, and a third for the last page's ids."""
    try:
        number = int(page) if page else 1
    except (TypeError, ValueError):
        number = 1
    # A number no list can reach is the last page too; bounded first, because a 20-digit OFFSET overflows the
    # database's integer (SQLite: "datatype mismatch").
    number = min(number, MAX_PAGE_NUMBER)
    paginator = Paginator(queryset.values_list("pk", flat=True), PAGE_SIZE)

    def fetch(number: int) -> list[tuple[int, int]]:
        start = (number - 1) * PAGE_SIZE
        rows = queryset.annotate(total_count=Window(Count("pk"))).values_list("pk", "total_count")
        return list(rows[start : start + PAGE_SIZE])

    rows = fetch(number) if number >= 1 else []  # 0 or less: the last page, as Paginator.get_page()
    if rows:
        total = rows[0][1]
    elif number == 1:
        total = 0
    else:
        total = queryset.count()
        number = max(math.ceil(total / PAGE_SIZE), 1)
        rows = fetch(number) if total else []
    paginator.count = total  # a cached_property: Paginator does not count again
    return Page([pk for pk, _total in rows], number, paginator)


@require_GET
@cached_page(PAGE_CACHE_TIMEOUT, params=[*ProjectFilter.base_filters, "page"])
def project_list(request):
    """/progetti/: the filtered, sorted, paginated catalogue. Invalid parameters answer 400 with the reasons shown."""
    filterset = _catalogue_filter(request)
    context = {"filter": filterset, "form": filterset.form}
    if not filterset.is_valid():
        context.update(errors=filterset.error_messages(), page_obj=None, project_ids=[], cards=[], total=0)
        return render(request, "projects/project_list.html", context, status=400)
    # The page is a list of ids; each card's HTML is cached on its own (a card looks the same on every page and filter
    # that lists it), so a page not seen before mostly costs one query: the ids with the total.
    page_obj = page_of_ids(filterset.qs, request.GET.get("page"))
    served_page(request, page_obj.number)  # cached_page stores ?page= only for the page actually served
    ids = list(page_obj.object_list)
    cards = cached_fragments("project-card", ids, _render_cards)
    context.update(
        page_obj=page_obj,
        project_ids=ids,
        cards=[cards[pk] for pk in ids if pk in cards],
        total=page_obj.paginator.count,
        active_filters=filterset.active_filters(),
        sort_key=filterset.sort_key(),
    )
    return render(request, "projects/project_list.html", context)


class ProjectDetailView(PreviewMixin, DetailView):
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return (
            Project.objects.all()
            .select_related("programme", "lead_organization")
            .prefetch_related(
                "areas",
                Prefetch("partnerships", queryset=ProjectPartner.objects.select_related("organization")),
                "links",
                Prefetch("funding_lines", queryset=FundingLine.objects.select_related("programme")),
                Prefetch("labs", queryset=Lab.objects.published().order_by("-edition_year", "title")),
                Prefetch("publications", queryset=Publication.objects.published()),
            )
        )


def _export_filter_or_error(request):
    filterset = _catalogue_filter(request)
    if not filterset.is_valid():
        message = _("Filtri non validi:") + "\n" + "\n".join(filterset.error_messages()) + "\n"
        return None, HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return filterset, None


def _licensed(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{exports.LICENSE_URL}>; rel="license"'
    response["X-License"] = exports.LICENSE_NAME
    return response


@require_GET
def export_csv(request):
    """/progetti/export.csv: the filtered catalogue, UTF-8, comma-separated, header row first.

    The licence (CC BY 4.0) travels in the ``Link: <https://creativecommons.org/licenses/by/4.0/>; rel="license"``
    header (and ``X-License``), not in a comment row: a data user expects a CSV whose first line is the header, which
    spreadsheets, csvkit and pandas read without options. Lists (areas, partners) are joined with ";".
    """
    filterset, error = _export_filter_or_error(request)
    if error:
        return error
    response = StreamingHttpResponse(exports.csv_lines(filterset.qs), content_type="text/csv; charset=utf-8")
    return _licensed(response, "progetti-ancilab.csv")


@require_GET
def export_json(request):
    """/progetti/export.json: ``{"license": {...}, "source", "generated_at", "filters", "items": [...]}``.

    The licence is the document's first key, so that it survives any copy of the file; items are streamed one by one.
    """
    filterset, error = _export_filter_or_error(request)
    if error:
        return error
    applied = {name: str(value) for name, value in filterset.form.cleaned_data.items() if value not in (None, "")}
    response = StreamingHttpResponse(
        exports.json_chunks(filterset.qs, filters=applied), content_type="application/json; charset=utf-8"
    )
    return _licensed(response, "progetti-ancilab.json")


class ServiceListView(ListView):
    template_name = "projects/service_list.html"
    context_object_name = "services"

    def get_queryset(self):
        return Service.objects.active().select_related("area")


class ServiceDetailView(PreviewMixin, DetailView):
    template_name = "projects/service_detail.html"
    context_object_name = "service"

    def get_queryset(self):
        return Service.objects.select_related("area")
