"""Portal-wide public pages: legal pages, sitemap, robots.txt (each app serves its own feed)."""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.cache import cached_fragment

from .sitemaps import sitemap_sections


class LegalPage(TemplateView):
    """A static page with breadcrumbs; the title is also the last crumb."""

    page_title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(self.page_title, "")]
        context["REGISTRATION_RETENTION_MONTHS"] = settings.REGISTRATION_RETENTION_MONTHS
        return context


def _render_sitemap(request) -> tuple[bytes, dict[str, str]]:
    response = sitemap_view(request, sitemaps=sitemap_sections())
    response.render()
    # The view's own headers (Content-Type, X-Robots-Tag, Last-Modified), none of them per visitor.
    return response.content, dict(response.items())


def sitemap(request):
    """/sitemap.xml, cached as a fragment of the content version (core.cache), so any save of public content
    shows up at the next request. The key also holds the scheme and host, because the URLs inside are absolute (the host
    is one of ALLOWED_HOSTS, so this cannot multiply keys), and the day, because news dated in the future join the
    sitemap on their date without any save."""
    if request.GET:
        # ?p=<page> (only for a sitemap over 50,000 URLs) or noise: rendered every time, so that arbitrary query
        # strings cannot fill the cache.
        return sitemap_view(request, sitemaps=sitemap_sections())
    name = f"sitemap:{request.scheme}://{request.get_host()}:{timezone.localdate().isoformat()}"
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
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
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
    path("chi-siamo/", LegalPage.as_view(template_name="pages/about.html", page_title=_("Chi siamo")), name="about"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]
