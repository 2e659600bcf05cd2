"""/sitemap.xml: every public page, in Italian and English (hreflang alternates). Each app owns its sections."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from core.sitemaps import LocalizedSitemap
from labs.sitemaps import LabSitemap, MeetingSitemap
from projects.sitemaps import ProjectSitemap, ServiceSitemap
from publications.sitemaps import ArticleSitemap, PublicationSitemap

STATIC_PAGES = [
    "home",
    "labs:list",
    "projects:list",
    "projects:service_list",
    "publications:list",
    "publications:article_list",
    "about",
    "privacy",
    "legal",
    "accessibility",
]


class StaticPageSitemap(LocalizedSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return STATIC_PAGES

    def location(self, item):
        return reverse(item)


def sitemap_sections() -> dict[str, type[Sitemap]]:
    return {
        "pages": StaticPageSitemap,
        "labs": LabSitemap,
        "meetings": MeetingSitemap,
        "projects": ProjectSitemap,
        "services": ServiceSitemap,
        "publications": PublicationSitemap,
        "articles": ArticleSitemap,
    }
