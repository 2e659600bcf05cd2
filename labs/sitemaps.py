"""Sitemap sections of the labs app (assembled into /sitemap.xml by website/sitemaps.py)."""

from __future__ import annotations

from core.sitemaps import LocalizedSitemap

from .models import Lab, Meeting


class LabSitemap(LocalizedSitemap):
    changefreq = "weekly"
    priority = 0.8
    url_name = "labs:detail"

    def items(self):
        return Lab.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class MeetingSitemap(LocalizedSitemap):
    changefreq = "weekly"
    url_name = "labs:meeting_detail"

    def items(self):
        return Meeting.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
