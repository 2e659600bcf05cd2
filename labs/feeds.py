"""RSS feed of the labs (/laboratori/feed/), in the language of the URL.

An item's date is when the lab became public: the earlier of the row's creation and the lab's first meeting. A lab
entered before it starts (the usual case) is dated when it was entered; one entered after its meetings took place (the
editions of earlier years, loaded in bulk) is dated by its first meeting, not by the day of the import. The row's
last save is never the date: an edit does not make a lab news. Each title carries the edition year, so two editions
of a lab with the same name can be told apart in a feed reader.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Min
from django.db.models.functions import Coalesce, Least
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.feeds import NewsItemFeedMixin

from .models import Lab


class LabsFeed(Feed):
    title = _("Laboratori di AnciLab")
    description = _("I laboratori di AnciLab per amministratori e funzionari dei Comuni lombardi.")

    def link(self):
        return reverse("labs:list")

    def items(self):
        return (
            Lab.objects.published()
            .annotate(first_meeting=Min("meetings__starts_at"))
            .annotate(announced_at=Least("created_at", Coalesce("first_meeting", "created_at")))
            .order_by("-announced_at", "-pk")[:20]
        )

    def item_title(self, item):
        title = item.display_title
        year = str(item.edition_year)
        return title if year in title else f"{title} ({year})"

    def item_description(self, item):
        return item.display_subtitle or item.display_description[:300]

    def item_pubdate(self, item):
        return timezone.localtime(item.announced_at)  # Rome time, as the rest of the portal

    def item_updateddate(self, item):
        return item.updated_at


class LabRubricaFeed(NewsItemFeedMixin, Feed):
    """RSS feed of one lab's rubrica (/laboratori/<slug>/feed/): the published news that point to the lab, newest
    first, as the lab page lists them. Dated like the news feed (the article's day, 9:00 Rome time)."""

    def get_object(self, request, slug):
        return get_object_or_404(Lab.objects.published(), slug=slug)

    def title(self, obj):
        return gettext("Rubrica del laboratorio «%(title)s»") % {"title": obj.display_title}

    def description(self, obj):
        return gettext("Le notizie di AnciLab sul laboratorio «%(title)s».") % {"title": obj.display_title}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        # labs never imports publications: the news are reached through the reverse relation.
        return obj.articles.published().order_by("-date", "-pk")[:20]
