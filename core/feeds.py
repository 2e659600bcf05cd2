"""How a news item (publications.Article) becomes an RSS item, shared by the news feed and a lab's rubrica feed.
Imports no domain app: labs reaches the news only through the reverse relation."""

from __future__ import annotations

import datetime

from django.utils import timezone


class NewsItemFeedMixin:
    """Item methods of a django.contrib.syndication Feed whose items are news articles."""

    def item_title(self, item):
        return item.display_title

    def item_description(self, item):
        return item.display_summary or item.display_body[:300]

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        # A news item has a day, not a time: 9:00 Rome time, the same for every feed.
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(9, 0)))

    def item_updateddate(self, item):
        return item.updated_at
