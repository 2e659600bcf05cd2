"""RSS feed of the news (/notizie/feed/), in the language of the URL."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Article


class NewsFeed(Feed):
    title = _("Notizie di AnciLab")
    description = _("Le ultime notizie di AnciLab – ANCI Lombardia.")

    def link(self):
        return reverse("publications:article_list")

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
