"""Labs admin: venues, labs edited together with their meetings, and meetings.

Only the labs app's own fields and actions live here: labs does not know about registrations. registrations/admin.py
extends MeetingAdmin and LabAdmin (seats, registrants, attendance, messages, the lab report, and the rule that every
meeting change reaching the registrants goes through registrations.services.meeting_changed) and registers the
extended classes in place of these.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_actions import form_action, publish, unpublish
from core.history import HistoryAdmin

from .admin_forms import DuplicateEditionForm, MeetingAdminForm
from .editions import lab_duplicate_edition
from .models import Lab, LabContact, Meeting, MeetingMaterial, Venue


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
        ("agenda", "agenda_en"),
        ("starts_at", "ends_at", "is_sample"),
        ("format", "venue"),
        "online_url",
        ("capacity", "online_capacity", "audience", "requires_confirmation"),
        ("registration_opens_at", "registration_closes_at"),
        "cancelled",
    ]


class MeetingMaterialInline(admin.StackedInline):
    """Documents, recordings and links of a meeting; "pubblicato" puts them on the meeting page. Stacked, not
    tabular: each field keeps its own <label> (a tabular inline's inputs have none, which axe reports)."""

    model = MeetingMaterial
    extra = 0
    fields = [("title", "title_en"), ("kind", "position", "published"), "file", "url"]


class LabContactInline(admin.TabularInline):
    model = LabContact
    extra = 0
    fields = ["name", "role", "role_en", "phone", "email", "order"]


@admin.register(Lab)
class LabAdmin(HistoryAdmin):
    list_display = ["title", "edition_year", "project", "meeting_count", "published"]
    list_filter = ["published", "edition_year", "areas"]
    search_fields = ["title", "subtitle", "description"]
    autocomplete_fields = ["project", "areas"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["project"]
    inlines = [MeetingInline]
    actions = [publish, unpublish, "duplicate_edition", "programme_pdf"]

    def get_inlines(self, request, obj):
        # Added here rather than in ``inlines``: registrations/admin.py's LabAdmin replaces ``inlines`` with its own
        # meeting inline, and inherits this.
        return [*super().get_inlines(request, obj), LabContactInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_meeting_count=Count("meetings"))

    @admin.display(description=gettext_lazy("Incontri"), ordering="_meeting_count")
    def meeting_count(self, obj: Lab) -> int:
        return obj._meeting_count

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        lab = self.get_object(request, object_id)
        if lab is not None:
            extra["programme_pdf_url"] = reverse("pdf:lab_programme", args=[lab.slug])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @admin.action(description=gettext_lazy("Duplica come nuova edizione"), permissions=["add"])
    def duplicate_edition(self, request, queryset):

        def apply(data) -> None:
            for lab in queryset:
                copy = lab_duplicate_edition(lab_id=lab.pk, days=data["days"])
                self.message_user(
                    request,
                    format_html(
                        _('Creata la nuova edizione <a href="{}">{}</a> (non pubblicata).'),
                        reverse("admin:labs_lab_change", args=[copy.pk]),
                        copy.slug,
                    ),
                    messages.SUCCESS,
                )

        return form_action(
            self,
            request,
            queryset,
            DuplicateEditionForm,
            apply=apply,
            title=_("Duplica come nuova edizione"),
            submit_label=_("Crea la nuova edizione"),
            intro=_(
                "Il laboratorio e i suoi incontri vengono copiati con le date spostate; la copia non è pubblicata "
                "e non contiene iscrizioni né link agli incontri online."
            ),
        )

    @admin.action(description=gettext_lazy("Programma in PDF"))
    def programme_pdf(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Seleziona un solo laboratorio."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("pdf:lab_programme", args=[queryset.get().slug]))


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    form = MeetingAdminForm
    list_display = ["title", "lab", "starts_at", "format", "capacity", "cancelled"]
    list_filter = ["format", "kind", "audience", "cancelled", "lab"]
    search_fields = ["title", "lab__title", "agenda"]
    autocomplete_fields = ["lab", "venue"]
    list_select_related = ["lab"]
    date_hierarchy = "starts_at"

    def get_inlines(self, request, obj):
        # Added here rather than in ``inlines``: registrations/admin.py's MeetingAdmin replaces ``inlines`` with its
        # registrations inline, and inherits this.
        return [*super().get_inlines(request, obj), MeetingMaterialInline]
