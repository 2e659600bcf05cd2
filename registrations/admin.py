"""Registrations admin: the listing staff use to see who registered."""

from django.contrib import admin

from .models import Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "organization", "organization_type", "meeting", "status"]
    list_filter = ["status", "organization_type", "meeting__lab", "attended"]
    search_fields = ["first_name", "last_name", "email", "organization"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting", "meeting__lab"]
    readonly_fields = ["token", "created_at", "updated_at", "privacy_acknowledged_at"]
    date_hierarchy = "created_at"
