"""Sitemap sections of the projects app (assembled into /sitemap.xml by website/sitemaps.py)."""

from __future__ import annotations

from core.sitemaps import LocalizedSitemap

from .models import Project, Service


class ProjectSitemap(LocalizedSitemap):
    changefreq = "monthly"
    url_name = "projects:detail"

    def items(self):
        return Project.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ServiceSitemap(LocalizedSitemap):
    url_name = "projects:service_detail"

    def items(self):
        return Service.objects.active().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
