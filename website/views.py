"""Portal-wide views: the home page, the sitemap for people and the health check."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from core import health
from core.cache import cached_page
from core.search import MAX_QUERY_LENGTH, clean_query
from labs.models import Lab, Meeting
from projects.models import Project, Service
from publications.models import Publication

from .home import portal_numbers
from .search import site_search

# The site's sections, in the order of the navigation bar, then the footer's pages.
SITE_MAP_SECTIONS = [
    (_("Home"), "home"),
    (_("Laboratori"), "labs:list"),
    (_("Progetti"), "projects:list"),
    (_("Servizi"), "projects:service_list"),
    (_("Pubblicazioni"), "publications:list"),
    (_("Notizie"), "publications:article_list"),
    (_("Cerca nel sito"), "search"),
    (_("Chi siamo"), "about"),
    (_("Informativa privacy"), "privacy"),
    (_("Note legali"), "legal"),
    (_("Accessibilità"), "accessibility"),
]


# Upcoming meetings with their seats left: keyed by the seats version too, and short-lived (see labs.views).
@method_decorator(cached_page(60, seats=True), name="dispatch")
class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            upcoming_meetings=list(
                Meeting.objects.published().upcoming().with_seats_taken().select_related("lab", "venue")[:4]
            ),
            open_labs=list(Lab.objects.published().open_for_registration().order_by("-edition_year", "title")[:3]),
            latest_projects=list(
                Project.objects.published().order_by(F("start_date").desc(nulls_last=True), "title")[:3]
            ),
            latest_publications=list(
                Publication.objects.published().order_by(F("year").desc(nulls_last=True), "title")[:3]
            ),
            numbers=portal_numbers(),
        )
        return context


# Content only (no seats): cached like the catalogue pages, replaced at any save of public content.
@method_decorator(cached_page(300), name="dispatch")
class SiteMapView(TemplateView):
    """The sitemap for people (the footer's "Mappa del sito"): the sections, then every lab, service and publication.
    Projects are not listed one by one (the catalogue, with its filters, is their index); /sitemap.xml is for crawlers."""

    template_name = "pages/sitemap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            breadcrumbs=[(_("Mappa del sito"), "")],
            sections=[(label, reverse(name)) for label, name in SITE_MAP_SECTIONS],
            labs=list(Lab.objects.published().only("title", "title_en", "slug", "edition_year")),
            services=list(Service.objects.active().only("title", "title_en", "slug").order_by("title")),
            publications=list(
                Publication.objects.published()
                .only("title", "title_en", "slug", "year")
                .order_by(F("year").desc(nulls_last=True), "title")
            ),
        )
        return context


@never_cache
def healthz(request):
    """Each dependency's state (core/health.py), within HEALTHZ_TIMEOUT; 503 names the one that is down or silent."""
    checks = health.check()
    healthy = all(state in (health.OK, health.NOT_USED) for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def bare(request):
    """Benchmark baseline (only routed when BENCH_ENDPOINTS is on): no query, no template."""
    return HttpResponse("ok", content_type="text/plain")


# Browsers ask for /favicon.ico whatever the page says: answer it from the file in static/ (read once), so that
# the request is not a 404 that runs the whole 404 page.
_FAVICON = (settings.BASE_DIR / "static" / "img" / "favicon.ico").read_bytes()
_ONE_DAY = "public, max-age=86400"


def favicon(request):
    return HttpResponse(_FAVICON, content_type="image/x-icon", headers={"Cache-Control": _ONE_DAY})


def webmanifest(request):
    """/site.webmanifest: name, colours and icons for a home-screen shortcut. The icon URLs go through static(), so
    they are the hashed, long-cached names in production."""
    manifest = {
        "name": "AnciLab · ANCI Lombardia",
        "short_name": "AnciLab",
        "description": "Laboratori, progetti e servizi di AnciLab per i Comuni lombardi.",
        "lang": "it",
        "start_url": "/",
        "scope": "/",
        "display": "browser",
        "theme_color": "#0066cc",
        "background_color": "#ffffff",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
        headers={"Cache-Control": _ONE_DAY},
    )


@require_GET
def search(request):
    """/cerca/?q=: every content type, grouped, with a count per type. An empty query explains what to do."""
    raw = request.GET.get("q", "")
    q = clean_query(raw)
    context = {"q": q, "groups": [], "total": 0, "truncated": len(raw) > MAX_QUERY_LENGTH}
    if q:
        groups = site_search(q)
        context.update(groups=groups, total=sum(group.total for group in groups))
    return render(request, "search/results.html", context)
