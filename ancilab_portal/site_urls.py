"""Portal-wide public pages: legal pages, sitemap, robots.txt, feeds."""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .feeds import LabsFeed, NewsFeed
from .sitemaps import sitemap_sections


class LegalPage(TemplateView):
    """A static page with breadcrumbs; the title is also the last crumb."""

    page_title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(self.page_title, "")]
        context["REGISTRATION_RETENTION_MONTHS"] = settings.REGISTRATION_RETENTION_MONTHS
        return context


def sitemap(request):
    return sitemap_view(request, sitemaps=sitemap_sections())


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
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("notizie/feed/", NewsFeed(), name="feed_news"),
    path("laboratori/feed/", LabsFeed(), name="feed_labs"),
]
