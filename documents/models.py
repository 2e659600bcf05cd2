"""PDF documents built in the background, with their progress (the catalogue brochure of the projects)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PdfExport(models.Model):
    """A PDF built in the background (a catalogue too large to render during a request) and its progress.

    One row per distinct document version: ``cache_key`` says what the file depends on (the projects it lists and when
    they last changed, the language), so a second request for the same document finds the row instead of building it
    again.
    """

    class Kind(models.TextChoices):
        CATALOGUE = "catalogue", _("catalogo dei progetti")

    class Status(models.TextChoices):
        PENDING = "pending", _("in coda")
        RUNNING = "running", _("in preparazione")
        READY = "ready", _("pronto")
        FAILED = "failed", _("non riuscito")

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.CATALOGUE)
    params = models.JSONField(_("parametri"), default=dict, blank=True)
    language = models.CharField(_("lingua"), max_length=5, default="it")
    cache_key = models.CharField(_("chiave"), max_length=200, db_index=True)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    file = models.FileField(_("file"), upload_to="pdf/", blank=True)
    error = models.TextField(_("errore"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("richiesto da"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("richiesto il"), auto_now_add=True)
    started_at = models.DateTimeField(_("avviato il"), null=True, blank=True)
    finished_at = models.DateTimeField(_("completato il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("esportazione PDF")
        verbose_name_plural = _("esportazioni PDF")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()}, {self.progress}%)"
