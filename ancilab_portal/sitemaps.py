"""/sitemap.xml: every public page, in Italian and English (hreflang alternates).

Sections whose pages are served by an app that is not installed yet (their URL name does not reverse) are left out
instead of breaking the whole sitemap.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse


class _Localized(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class LabSitemap(_Localized):
    changefreq = "weekly"
    priority = 0.8
    url_name = "labs:detail"

    def items(self):
        from labs.models import Lab

        return Lab.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class MeetingSitemap(_Localized):
    changefreq = "weekly"
    url_name = "labs:meeting_detail"

    def items(self):
        from labs.models import Meeting

        return Meeting.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ProjectSitemap(_Localized):
    changefreq = "monthly"
    url_name = "projects:detail"

    def items(self):
        from projects.models import Project

        return Project.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ServiceSitemap(_Localized):
    url_name = "projects:service_detail"

    def items(self):
        from projects.models import Service

        return Service.objects.active().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class PublicationSitemap(_Localized):
    url_name = "publications:detail"

    def items(self):
        from publications.models import Publication

        return Publication.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ArticleSitemap(_Localized):
    url_name = "publications:article_detail"

    def items(self):
        from publications.models import Article

        return Article.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


STATIC_PAGES = [
    "home",
    "labs:list",
    "projects:list",
    "projects:service_list",
    "publications:list",
    "publications:article_list",
    "privacy",
    "legal",
    "accessibility",
]


def _reversible(name: str, **kwargs) -> bool:
    try:
        reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return False
    return True


class StaticPageSitemap(_Localized):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return [name for name in STATIC_PAGES if _reversible(name)]

    def location(self, item):
        return reverse(item)


def sitemap_sections() -> dict[str, Sitemap]:
    sections: dict[str, Sitemap] = {"pages": StaticPageSitemap}
    for key, sitemap in (
        ("labs", LabSitemap),
        ("meetings", MeetingSitemap),
        ("projects", ProjectSitemap),
        ("services", ServiceSitemap),
        ("publications", PublicationSitemap),
        ("articles", ArticleSitemap),
    ):
        kwargs = {"pk": 1} if sitemap.url_name.endswith("meeting_detail") else {"slug": "x"}
        if _reversible(sitemap.url_name, **kwargs):
            sections[key] = sitemap
    return sections
