"""Admin of the PDF exports: progress of background catalogues, a link when ready, and a button to request one."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from documents.catalogue import catalogue_filter, clean_params
from documents.exports import catalogue_export_request

from .models import PdfExport


@admin.register(PdfExport)
class PdfExportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "progress_bar", "language", "params", "created_by", "created_at", "download"]
    list_filter = ["kind", "status", "language"]
    readonly_fields = [
        "kind",
        "params",
        "language",
        "cache_key",
        "status",
        "progress",
        "file",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]

    def add_view(self, request, form_url="", extra_context=None):
        """Adding an export means requesting a catalogue: the catalogue's filter form, then the build is enqueued."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        filterset = catalogue_filter(request.POST if request.method == "POST" else None)
        if request.method == "POST" and filterset.is_valid():
            export = catalogue_export_request(
                params=clean_params(request.POST), language=get_language() or "it", user=request.user
            )
            self.message_user(
                request,
                _("Catalogo richiesto (%(status)s). Ricarica l'elenco per seguirne l'avanzamento.")
                % {"status": export.get_status_display()},
                messages.SUCCESS,
            )
            return redirect("admin:documents_pdfexport_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Richiedi il catalogo dei progetti in PDF"),
            "form": filterset.form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "pdf/admin_request.html", context)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("avanzamento"))
    def progress_bar(self, obj: PdfExport) -> str:
        return format_html(
            '<progress max="100" value="{}">{}%</progress> {}%', obj.progress, obj.progress, obj.progress
        )

    @admin.display(description=_("file"))
    def download(self, obj: PdfExport) -> str:
        if obj.status == PdfExport.Status.READY and obj.file:
            return format_html('<a href="{}">{}</a>', obj.file.url, _("Scarica il PDF"))
        return "—"
