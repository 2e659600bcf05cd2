"""RSS feeds: news (/notizie/feed/) and labs (/laboratori/feed/), in the language of the URL."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labs.models import Lab
from publications.models import Article


class NewsFeed(Feed):
    title = _("Notizie di AnciLab")
    description = _("Le ultime notizie di AnciLab – ANCI Lombardia.")

    def link(self):
        try:
            return reverse("publications:article_list")
        except Exception:  # noqa: BLE001 - the news pages may not be installed yet
            return reverse("home")

    def items(self):
        return Article.objects.published().order_by("-date", "-pk")[:20]

    def item_title(self, item):
        return item.display_title

    def item_description(self, item):
        return item.display_summary or item.display_body[:300]

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(9, 0)))

    def item_updateddate(self, item):
        return item.updated_at


class LabsFeed(Feed):
    title = _("Laboratori di AnciLab")
    description = _("I laboratori di AnciLab per amministratori e funzionari dei Comuni lombardi.")

    def link(self):
        return reverse("labs:list")

    def items(self):
        return Lab.objects.published().order_by("-created_at", "-pk")[:20]

    def item_title(self, item):
        return item.display_title

    def item_description(self, item):
        return item.display_subtitle or item.display_description[:300]

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at
