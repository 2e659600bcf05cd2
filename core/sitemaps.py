"""The base of every sitemap section: each page in Italian and English, with hreflang alternates and x-default."""

from django.contrib.sitemaps import Sitemap


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
