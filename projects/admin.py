"""Catalogue admin: staff maintain areas, programmes, organisations, projects and services here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
class ProjectAdmin(admin.ModelAdmin):
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


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "active"]
    list_filter = ["active", "area"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["area"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["area"]
