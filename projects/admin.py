"""Catalogue admin: staff maintain areas, programmes, organisations, projects and services here.

Projects also come from spreadsheets: CSV/XLSX import with a dry-run preview and per-row errors, and export
(django-import-export's standard flow, resource in registrations/resources.py).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from projects.resources import ProjectResource

from .models import Area, FundingProgramme, Organization, Project, ProjectLink, Service


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "full_name", "slug"]
    search_fields = ["name", "full_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ProjectLinkInline(admin.TabularInline):
    model = ProjectLink
    extra = 0


@admin.register(Project)
class ProjectAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ProjectResource]
    formats = [CSV, XLSX]
    list_display = ["title", "status", "programme", "start_date", "end_date", "budget", "with_ancilab", "published"]
    list_filter = ["status", "published", "with_ancilab", "areas", "programme", "anci_role"]
    search_fields = ["title", "acronym", "summary"]
    autocomplete_fields = ["areas", "programme", "lead_organization", "partners"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["programme"]
    date_hierarchy = "start_date"
    inlines = [ProjectLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "title_en", "slug", "acronym", "summary", "summary_en", "description", "areas"]}),
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
                    "partners",
                    "with_ancilab",
                ]
            },
        ),
        (_("Immagine"), {"fields": ["image", "image_alt"]}),
    ]

    def has_import_permission(self, request) -> bool:
        # Importing creates and overwrites projects: the same rights as adding and changing them by hand.
        return request.user.has_perm("projects.add_project") and request.user.has_perm("projects.change_project")

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("projects.view_project")


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "area", "active"]
    list_filter = ["active", "area"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["area"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["area"]
