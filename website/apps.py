from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    """The public site's own pages: home, search, legal pages, health check, sitemap, robots.txt and feeds."""

    name = "website"
    verbose_name = _("Sito pubblico")
