"""Portal-wide public pages: legal pages, the sitemap for people, and the sitemap.xml and robots.txt views (routed once,
outside the language prefix, by ancilab_portal/urls.py: crawlers read them at the root only). Each app serves its own
feed."""

import copy
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.cache import cached_fragment

from .sitemaps import sitemap_sections
from .views import SiteMapView, search


class LegalPage(TemplateView):
    """A static page with breadcrumbs; the title is also the last crumb."""

    page_title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(self.page_title, "")]
        context["REGISTRATION_RETENTION_MONTHS"] = settings.REGISTRATION_RETENTION_MONTHS
        return context


def _as_site_url(request):
    """The request as if it had come to SITE_URL: the sitemap's absolute URLs are built from the host and scheme
    Django's sitemap view reads (get_current_site -> request.get_host(), request.scheme), and must never be the
    Host header a visitor sent (issue 14: a forged Host ended up in cached pages)."""
    parts = urlsplit(settings.SITE_URL)
    site_request = copy.copy(request)
    site_request.__dict__.pop("_current_scheme_host", None)
    # request.scheme asks _get_scheme() (the proxy header is believed only from a trusted proxy, core/clientip.py),
    # and get_host() is what RequestSite reads: both answer SITE_URL's.
    site_request.META = {key: value for key, value in request.META.items() if key != "HTTP_X_FORWARDED_PROTO"}
    site_request._get_scheme = lambda: parts.scheme
    site_request.get_host = lambda: parts.netloc
    return site_request


def _render_sitemap(request) -> tuple[bytes, dict[str, str]]:
    response = sitemap_view(_as_site_url(request), sitemaps=sitemap_sections())
    response.render()
    # The view's own headers (Content-Type, X-Robots-Tag, Last-Modified), none of them per visitor.
    return response.content, dict(response.items())


def sitemap(request):
    """/sitemap.xml, cached as a fragment of the content version (core.cache), so any save of public content
    shows up at the next request. Its absolute URLs come from SITE_URL whatever Host the request names, so one entry
    serves every host (the key holds the hour, because scheduled labs and news join the sitemap at their time)."""
    if request.GET:
        # ?p=<page> (only for a sitemap over 50,000 URLs) or noise: rendered every time, so that arbitrary query
        # strings cannot fill the cache.
        return sitemap_view(_as_site_url(request), sitemaps=sitemap_sections())
    # The hour, not only the day: news dated in the future and labs or news with a "pubblica dal" time join the
    # sitemap at their time with no write that would bump the content version (docs/performance.md, issue 16).
    name = f"sitemap:{timezone.localtime().strftime('%Y-%m-%dT%H')}"
    content, headers = cached_fragment(name, lambda: _render_sitemap(request))
    return HttpResponse(content, headers=headers)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /account/",
        "Disallow: /iscrizioni/",
        "Disallow: /en/admin/",
        "Disallow: /en/account/",
        "Disallow: /en/iscrizioni/",
        # From SITE_URL, never the request's Host header.
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path(
        "privacy/",
        LegalPage.as_view(template_name="pages/privacy.html", page_title=_("Informativa privacy")),
        name="privacy",
    ),
    path(
        "note-legali/", LegalPage.as_view(template_name="pages/legal.html", page_title=_("Note legali")), name="legal"
    ),
    path(
        "accessibilita/",
        LegalPage.as_view(template_name="pages/accessibility.html", page_title=_("Accessibilità")),
        name="accessibility",
    ),
    path("mappa-del-sito/", SiteMapView.as_view(), name="site_map"),
    path("cerca/", search, name="search"),
    path("chi-siamo/", LegalPage.as_view(template_name="pages/about.html", page_title=_("Chi siamo")), name="about"),
]
