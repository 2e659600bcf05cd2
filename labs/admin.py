"""Labs admin: a lab is edited together with its meetings (inline)."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import Lab, Meeting, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "city"]
    search_fields = ["name", "address", "city"]
    prepopulated_fields = {"slug": ["name"]}


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0
    autocomplete_fields = ["venue"]
    show_change_link = True
    fields = [
        ("order", "kind"),
        ("title", "title_en"),
        "agenda",
        ("starts_at", "ends_at", "is_sample"),
        ("format", "venue"),
        "online_url",
        ("capacity", "audience", "requires_confirmation"),
        ("registration_opens_at", "registration_closes_at"),
        "cancelled",
    ]


@admin.register(Lab)
class LabAdmin(admin.ModelAdmin):
    list_display = ["title", "edition_year", "project", "meeting_count", "published"]
    list_filter = ["published", "edition_year", "areas"]
    search_fields = ["title", "subtitle", "description"]
    autocomplete_fields = ["project", "areas"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["project"]
    inlines = [MeetingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_meeting_count=Count("meetings"))

    @admin.display(description=_("Incontri"), ordering="_meeting_count")
    def meeting_count(self, obj: Lab) -> int:
        return obj._meeting_count


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "lab", "starts_at", "format", "capacity", "seats_taken", "cancelled"]
    list_filter = ["format", "kind", "audience", "cancelled", "lab"]
    search_fields = ["title", "lab__title", "agenda"]
    autocomplete_fields = ["lab", "venue"]
    list_select_related = ["lab"]
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_seats_taken=Count("registrations", filter=Q(registrations__status__in=["pending", "confirmed"])))
        )

    @admin.display(description=_("Posti occupati"), ordering="_seats_taken")
    def seats_taken(self, obj: Meeting) -> int:
        return obj._seats_taken
