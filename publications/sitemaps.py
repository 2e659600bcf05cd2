"""Sitemap sections of the publications app (assembled into /sitemap.xml by website/sitemaps.py)."""

from __future__ import annotations

from core.sitemaps import LocalizedSitemap

from .models import Article, Publication


class PublicationSitemap(LocalizedSitemap):
    url_name = "publications:detail"

    def items(self):
        return Publication.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ArticleSitemap(LocalizedSitemap):
    url_name = "publications:article_detail"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
