"""RSS feed of the news (/notizie/feed/), in the language of the URL."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.feeds import NewsItemFeedMixin

from .models import Article


class NewsFeed(NewsItemFeedMixin, Feed):
    title = _("Notizie di AnciLab")
    description = _("Le ultime notizie di AnciLab – ANCI Lombardia.")

    def link(self):
        return reverse("publications:article_list")

    def items(self):
        return Article.objects.published().order_by("-date", "-pk")[:20]
