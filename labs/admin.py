"""Labs admin: a lab is edited together with its meetings; meetings carry the day-to-day registration work.

The registration work on meetings (exports, messages, attendance, reports) lives in registrations/; this module wires
it into the admin.
"""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import action_initial, optional_url, render_action_form
from registrations.admin_forms import StaffMessageForm
from registrations.attendance import meeting_mark_attendance
from registrations.messaging import meetings_message_confirmed, message_recipients
from registrations.models import HOLDS_SEAT, Registration
from registrations.reports import lab_report, lab_report_csv
from registrations.resources import RegistrantResource

from .admin_forms import MEETING_NOTIFY_FIELDS, DuplicateEditionForm, MeetingAdminForm
from .editions import lab_duplicate_edition
from .models import Lab, Meeting, Venue

logger = logging.getLogger(__name__)


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
        ("capacity", "audience", "requires_confirmation"),
        ("registration_opens_at", "registration_closes_at"),
        "cancelled",
    ]


@admin.register(Lab)
class LabAdmin(SimpleHistoryAdmin):
    list_display = ["title", "edition_year", "project", "meeting_count", "published"]
    list_filter = ["published", "edition_year", "areas"]
    search_fields = ["title", "subtitle", "description"]
    autocomplete_fields = ["project", "areas"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["project"]
    inlines = [MeetingInline]
    actions = ["duplicate_edition", "programme_pdf"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_meeting_count=Count("meetings"))

    @admin.display(description=gettext_lazy("Incontri"), ordering="_meeting_count")
    def meeting_count(self, obj: Lab) -> int:
        return obj._meeting_count

    def get_urls(self):
        return [
            path("<int:pk>/report/", self.admin_site.admin_view(self.report_view), name="labs_lab_report"),
            *super().get_urls(),
        ]

    def has_report_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("labs.view_lab") and request.user.has_perm("registrations.view_registration")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        lab = self.get_object(request, object_id)
        if lab is not None:
            extra["programme_pdf_url"] = optional_url("pdf:lab_programme", lab.slug)
            if self.has_report_permission(request):
                extra["report_url"] = reverse("admin:labs_lab_report", args=[lab.pk])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def report_view(self, request, pk: int):
        lab = get_object_or_404(Lab, pk=pk)
        if not self.has_report_permission(request):
            raise PermissionDenied
        if request.GET.get("format") == "csv":
            response = HttpResponse(lab_report_csv(lab), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="report-{lab.slug}.csv"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Report: %(lab)s") % {"lab": lab.title},
            "opts": self.model._meta,
            "original": lab,
            "report": lab_report(lab),
        }
        return TemplateResponse(request, "admin/backoffice/lab_report.html", context)

    @admin.action(description=gettext_lazy("Duplica come nuova edizione"), permissions=["add"])
    def duplicate_edition(self, request, queryset):
        form = DuplicateEditionForm(request.POST if "apply" in request.POST else None, initial=action_initial(request))
        if form.is_bound and form.is_valid():
            for lab in queryset:
                copy = lab_duplicate_edition(lab_id=lab.pk, days=form.cleaned_data["days"])
                self.message_user(
                    request,
                    format_html(
                        _('Creata la nuova edizione <a href="{}">{}</a> (non pubblicata).'),
                        reverse("admin:labs_lab_change", args=[copy.pk]),
                        copy.slug,
                    ),
                    messages.SUCCESS,
                )
            return None
        return render_action_form(
            self,
            request,
            queryset,
            form=form,
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
        url = optional_url("pdf:lab_programme", queryset.get().slug)
        if not url:
            self.message_user(request, _("Il PDF del programma non è disponibile."), messages.ERROR)
            return None
        return HttpResponseRedirect(url)


class RegistrationInline(admin.TabularInline):
    """Who registered, read-only: changes go through the registrations admin and its actions (waiting list!)."""

    model = Registration
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ["last_name", "first_name", "email", "organization", "status", "attended"]
    readonly_fields = fields
    ordering = ["status", "last_name", "first_name"]
    verbose_name_plural = gettext_lazy("Iscrizioni")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MeetingRegistrationActions:
    """The meeting actions that work on its registrations (exports, messages, attendance)."""

    def has_registrations_permission(self, request) -> bool:
        return request.user.has_perm("registrations.view_registration")

    def has_attendance_permission(self, request) -> bool:
        return request.user.has_perm("registrations.change_registration")

    def _export(self, queryset, file_format: str) -> HttpResponse:
        registrations = (
            Registration.objects.filter(meeting__in=queryset)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("meeting", "meeting__lab")
            .order_by("meeting__starts_at", "meeting_id", "last_name", "first_name")
        )
        dataset = RegistrantResource().export(queryset=registrations)
        if file_format == "xlsx":
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            response = HttpResponse(dataset.export("xlsx"), content_type=content_type)
        else:
            # A BOM so that Excel opens the UTF-8 file with the right accents.
            response = HttpResponse("\ufeff" + dataset.export("csv"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="iscritti.{file_format}"'
        return response

    @admin.action(description=gettext_lazy("Esporta gli iscritti (CSV)"), permissions=["registrations"])
    def export_registrants_csv(self, request, queryset):
        return self._export(queryset, "csv")

    @admin.action(description=gettext_lazy("Esporta gli iscritti (Excel)"), permissions=["registrations"])
    def export_registrants_xlsx(self, request, queryset):
        return self._export(queryset, "xlsx")

    @admin.action(description=gettext_lazy("Scrivi agli iscritti confermati"), permissions=["attendance"])
    def email_confirmed(self, request, queryset):
        bound = "apply" in request.POST or "preview" in request.POST
        form = StaffMessageForm(request.POST if bound else None, initial=action_initial(request))
        meeting_ids = list(queryset.values_list("pk", flat=True))
        recipients = message_recipients(meeting_ids).count()
        preview = None
        if form.is_bound and form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            if "apply" in request.POST:
                count = meetings_message_confirmed(meeting_ids=meeting_ids, subject=subject, body=body)
                self.message_user(
                    request,
                    ngettext(
                        "Messaggio in coda per %(count)d iscritto.",
                        "Messaggio in coda per %(count)d iscritti.",
                        count,
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
                return None
            preview = {"recipients": recipients, "subject": subject, "body": body}
        return render_action_form(
            self,
            request,
            queryset,
            form=form,
            title=_("Scrivi agli iscritti confermati"),
            submit_label=_("Invia"),
            preview_step=True,
            preview=preview or ({"recipients": recipients} if not form.is_bound else None),
            intro=ngettext(
                "Destinatari: %(count)d iscritto confermato.",
                "Destinatari: %(count)d iscritti confermati.",
                recipients,
            )
            % {"count": recipients},
        )

    @admin.action(description=gettext_lazy("Registra le presenze"), permissions=["attendance"])
    def mark_attendance(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Seleziona un solo incontro."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:labs_meeting_attendance", args=[queryset.get().pk]))

    @admin.action(description=gettext_lazy("Foglio firme (PDF)"), permissions=["registrations"])
    def signin_sheet(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Seleziona un solo incontro."), messages.WARNING)
            return None
        url = optional_url("pdf:signin_sheet", queryset.get().pk)
        if not url:
            self.message_user(request, _("Il foglio firme non è disponibile."), messages.ERROR)
            return None
        return HttpResponseRedirect(url)

    def attendance_view(self, request, pk: int):
        meeting = get_object_or_404(Meeting.objects.select_related("lab"), pk=pk)
        if not self.has_attendance_permission(request):
            raise PermissionDenied
        registrations = list(
            Registration.objects.confirmed().filter(meeting=meeting).order_by("last_name", "first_name")
        )
        if request.method == "POST":
            valid_ids = {r.pk for r in registrations}
            present = {int(v) for v in request.POST.getlist("present") if v.isdigit() and int(v) in valid_ids}
            changed = meeting_mark_attendance(meeting_id=meeting.pk, present_ids=present, user=request.user)
            self.message_user(
                request,
                _("Presenze salvate: %(present)d presenti su %(total)d confermati (%(changed)d modifiche).")
                % {"present": len(present), "total": len(registrations), "changed": changed},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Presenze: %(meeting)s") % {"meeting": meeting},
            "opts": self.model._meta,
            "original": meeting,
            "registrations": registrations,
            "present_count": sum(r.attended for r in registrations),
        }
        return TemplateResponse(request, "admin/backoffice/attendance.html", context)


@admin.register(Meeting)
class MeetingAdmin(MeetingRegistrationActions, SimpleHistoryAdmin):
    form = MeetingAdminForm
    list_display = ["title", "lab", "starts_at", "format", "capacity", "seats_taken", "cancelled"]
    list_filter = ["format", "kind", "audience", "cancelled", "lab"]
    search_fields = ["title", "lab__title", "agenda"]
    autocomplete_fields = ["lab", "venue"]
    list_select_related = ["lab"]
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]
    actions = [
        "export_registrants_csv",
        "export_registrants_xlsx",
        "email_confirmed",
        "mark_attendance",
        "signin_sheet",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_seats_taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT)))
        )

    @admin.display(description=gettext_lazy("Posti occupati"), ordering="_seats_taken")
    def seats_taken(self, obj: Meeting) -> int:
        return obj._seats_taken

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # Nobody to notify while the meeting is being created.
        return [f for f in fields if f != "notify_registrants"] if obj is None else fields

    def get_urls(self):
        return [
            path(
                "<int:pk>/presenze/", self.admin_site.admin_view(self.attendance_view), name="labs_meeting_attendance"
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        if object_id and str(object_id).isdigit():
            if self.has_registrations_permission(request):
                extra["signin_sheet_url"] = optional_url("pdf:signin_sheet", object_id)
                extra["registrations_url"] = (
                    reverse("admin:registrations_registration_changelist") + f"?meeting__id__exact={object_id}"
                )
            if self.has_attendance_permission(request):
                extra["attendance_url"] = reverse("admin:labs_meeting_attendance", args=[object_id])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            return
        changed = [name for name in MEETING_NOTIFY_FIELDS if name in form.changed_data]
        if changed and form.cleaned_data.get("notify_registrants"):
            transaction.on_commit(lambda: self._notify_change(request, obj.pk, changed))
        if "capacity" in form.changed_data:
            transaction.on_commit(lambda: self._capacity_changed(request, obj.pk))

    def _notify_change(self, request, meeting_id: int, changed: list[str]) -> None:
        from registrations.services import meeting_notify_change

        count = meeting_notify_change(meeting_id=meeting_id, changed_fields=changed)
        self.message_user(
            request,
            ngettext(
                "Avviso della modifica in coda per %(count)d iscritto.",
                "Avviso della modifica in coda per %(count)d iscritti.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def _capacity_changed(self, request, meeting_id: int) -> None:
        from registrations.services import meeting_capacity_changed

        promoted = meeting_capacity_changed(meeting_id=meeting_id)
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d persona è passata dalla lista d'attesa agli iscritti.",
                    "%(count)d persone sono passate dalla lista d'attesa agli iscritti.",
                    len(promoted),
                )
                % {"count": len(promoted)},
                messages.INFO,
            )
