"""Portal-wide views: the home page and the health check."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core import health
from core.cache import cached_page
from labs.models import Lab, Meeting
from projects.models import Project
from publications.models import Publication

from .home import portal_numbers


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


@never_cache
def healthz(request):
    """Each dependency's state (core/health.py), within HEALTHZ_TIMEOUT; 503 names the one that is down or silent."""
    checks = health.check()
    healthy = all(state in (health.OK, health.NOT_USED) for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def bare(request):
    """Benchmark baseline (only routed when BENCH_ENDPOINTS is on): no query, no template."""
    return HttpResponse("ok", content_type="text/plain")
