"""Abstract bases shared by the content models: timestamps and the "_en" translation fields with Italian fallback."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        abstract = True


def localized(obj: object, field: str) -> str:
    """The English value of ``field`` when the active language is English and it is filled in, else the Italian one.

    Content is written in Italian first; staff translate what they can into ``<field>_en``. An empty translation
    must never show an empty title, hence the fallback.
    """
    language = get_language() or "it"
    if language.startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, field)


class LocalizedTitleMixin:
    """``display_title`` / ``display_summary`` for templates, which cannot pass arguments."""

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_summary(self) -> str:
        return localized(self, "summary")
