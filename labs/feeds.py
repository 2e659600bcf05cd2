"""RSS feed of the labs (/laboratori/feed/), in the language of the URL."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Lab


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
