"""Catalogue admin: staff maintain areas, programmes, organisations, projects and services here.

Projects also come from spreadsheets: CSV/XLSX import with a dry-run preview and per-row errors in Italian, an
"import the valid rows" step when some rows are wrong, a downloadable template, and export (projects/resources.py).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX

from core.admin_actions import publish, unpublish
from core.history import HistoryAdmin
from core.import_export_formats import ItalianCSV
from projects.resources import ProjectResource, publication_unchanged_message

from .models import Area, FundingLine, FundingProgramme, Organization, Project, ProjectLink, ProjectPartner, Service


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "full_name", "eu_funded", "next_generation_eu", "slug"]
    list_filter = ["eu_funded", "next_generation_eu"]
    search_fields = ["name", "full_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    extra = 0
    autocomplete_fields = ["programme"]
    fields = ["programme", "measure", "amount", "order"]


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "order"]


class ProjectLinkInline(admin.TabularInline):
    model = ProjectLink
    extra = 0


@admin.register(Project)
class ProjectAdmin(ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [ProjectResource]
    formats = [ItalianCSV, XLSX]
    import_template_name = "admin/projects/project/import.html"
    list_display = ["title", "status", "programme", "start_date", "end_date", "budget", "with_ancilab", "published"]
    list_filter = ["status", "published", "with_ancilab", "areas", "programme", "anci_role"]
    search_fields = ["title", "acronym", "summary", "cup", "project_code"]
    autocomplete_fields = ["areas", "programme", "lead_organization"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["programme"]
    date_hierarchy = "start_date"
    actions = [publish, unpublish]
    inlines = [FundingLineInline, ProjectPartnerInline, ProjectLinkInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_en",
                    "slug",
                    "acronym",
                    "summary",
                    "summary_en",
                    "description",
                    "description_en",
                    "areas",
                ]
            },
        ),
        (_("Identificativi"), {"fields": [("cup", "project_code")]}),
        (
            _("Stato e date"),
            {"fields": ["status", ("start_date", "start_precision"), ("end_date", "end_precision"), "published"]},
        ),
        (
            _("Finanziamento e partenariato"),
            {
                "fields": [
                    ("budget", "budget_note"),
                    "budget_internal_note",
                    "programme",
                    "lead_organization",
                    "anci_role",
                    "with_ancilab",
                ]
            },
        ),
        (_("Immagine"), {"fields": ["image", "image_alt"]}),
    ]

    def get_urls(self):
        template = path(
            "import-template.xlsx",
            self.admin_site.admin_view(self.import_template_view),
            name="projects_project_import_template",
        )
        return [template, *super().get_urls()]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        content = XLSX().export_data(ProjectResource().template_dataset())
        response = HttpResponse(content, content_type=XLSX().get_content_type())
        response["Content-Disposition"] = 'attachment; filename="modello-progetti.xlsx"'
        return response

    def import_action(self, request, **kwargs):
        """After a dry run with some invalid rows, offer to import the valid ones (django-import-export offers the
        confirmation only when every row is valid); the real import then saves the valid rows and skips the others."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        self._warn_publication_unchanged(request, result)
        if (
            result is not None
            and "confirm_form" not in context
            and not result.has_errors()
            and result.has_validation_errors()
            and result.valid_rows()
        ):
            context["confirm_form"] = self.create_confirm_form(request, import_form=context["form"])
            context["valid_row_count"] = len(result.valid_rows())
        return response

    def process_result(self, result, request):
        self._warn_publication_unchanged(request, result)
        return super().process_result(result, request)

    def _warn_publication_unchanged(self, request, result) -> None:
        codes = getattr(result, "publication_unchanged", None)
        if codes:
            messages.warning(request, publication_unchanged_message(codes))

    def has_import_permission(self, request) -> bool:
        # Importing creates and overwrites projects: the same rights as adding and changing them by hand.
        return request.user.has_perm("projects.add_project") and request.user.has_perm("projects.change_project")

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("projects.view_project")


@admin.register(Service)
class ServiceAdmin(HistoryAdmin):
    list_display = ["title", "area", "active"]
    list_filter = ["active", "area"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["area"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["area"]
    actions = [publish, unpublish]
    publish_field = "active"
