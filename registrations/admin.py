"""Registrations admin: who registered, the staff actions that go through the services (so seats, waiting list and
emails stay consistent), the email outbox with its failures, and the registrations' side of the labs admin.

labs/admin.py knows nothing about registrations. Here its MeetingAdmin and LabAdmin are extended (seats, registrants,
attendance, messages, the lab report) and registered in their place; every change to a meeting saved from the admin,
on its own page or in the lab's inline, goes through services.meeting_changed(), and actions through
services.meeting_update(): the registrants are told by default, a cancelled meeting cancels its registrations unless
staff keep them, free seats go to the waiting list, and the forms refuse what the services would refuse.
projects/admin.py's ProjectAdmin is extended the same way, with the funder report (registrations/reports.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from core.admin_actions import action_initial, form_action, render_action_form
from core.history import HistoryAdmin
from core.import_export_formats import ItalianCSV
from labs import admin as labs_admin
from labs.models import Lab, Meeting
from projects import admin as projects_admin
from projects.models import Project

from . import outbox, services
from .admin_actions import RegistrationBackofficeMixin
from .admin_certificates import CertificateActions, attended_certificate_links
from .admin_checkin import MeetingCheckInViews, RegistrationOnBehalfViews
from .admin_forms import CancelMeetingsForm, MeetingChangeForm, StaffMessageForm
from .attendance import attendance_too_early, meeting_mark_attendance
from .messaging import meetings_message, message_preview
from .models import HOLDS_SEAT, OutboundEmail, Registration, StaffMessage
from .reports import Report, lab_report, lab_report_csv, project_report, project_report_csv, report_xlsx
from .resources import RegistrantResource
from .workbooks import workbook_bytes

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# "csv" is what Italian Excel opens as is (";" and a BOM); "csv-virgola" is for other software.
EXPORT_FORMATS = ("csv", "csv-virgola", "xlsx")


def registrants_export(registrations, file_format: str) -> HttpResponse:
    """The registrants' spreadsheet, from the meetings list and from the (filtered) registrations list alike."""
    dataset = RegistrantResource(native_dates=file_format == "xlsx").export(
        queryset=registrations.select_related("meeting", "meeting__lab")
    )
    dataset.title = _("Iscritti")  # the sheet's name
    if file_format == "xlsx":
        response = HttpResponse(workbook_bytes(dataset), content_type=XLSX_CONTENT_TYPE)
    elif file_format == "csv-virgola":
        response = HttpResponse("\ufeff" + dataset.export("csv"), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(ItalianCSV().export_data(dataset), content_type="text/csv; charset=utf-8")
    extension = "xlsx" if file_format == "xlsx" else "csv"
    response["Content-Disposition"] = f'attachment; filename="iscritti.{extension}"'
    return response


@admin.register(Registration)
class RegistrationAdmin(RegistrationOnBehalfViews, RegistrationBackofficeMixin, HistoryAdmin):
    """Filters (meeting, lab, status, organisation type, province), search, and the staff actions (confirm, cancel with
    waiting-list promotion, move, GDPR export and erasure) come from the back-office mixin, which calls the services."""

    # Readable at 1366 px with the filters beside it (issue 16): the status second, short headers, the meeting as date
    # and lab; the organisation's code and type are filters and export columns, not list columns.
    list_display = ["person", "status", "attendance_mode", "meeting_column", "organization", "email"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting", "meeting__lab"]
    readonly_fields = ["token", "created_at", "updated_at", "privacy_acknowledged_at", "reminder_sent_at", "batch"]
    # Registrations typed by the secretariat: who typed it and why a rule was set aside (admin_checkin.py).
    readonly_fields += ["registered_by", "override_reason"]
    # Written only by the services (the actions): a status or meeting typed in the form would skip the waiting list
    # and the emails; attendance typed here would skip the attendance rules (confirmed only, not before the start)
    # and lead to a certificate.
    service_fields = [
        "meeting",
        "attendance_mode",
        "status",
        "hold_expires_at",
        "confirmed_at",
        "cancelled_at",
        "attended",
        "attended_at",
    ]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [*self.service_fields, *super().get_readonly_fields(request, obj)]

    @admin.display(description=gettext_lazy("Persona"), ordering="last_name")
    def person(self, obj: Registration) -> str:
        return f"{obj.last_name} {obj.first_name}"

    @admin.display(description=gettext_lazy("Incontro"), ordering="meeting__starts_at")
    def meeting_column(self, obj: Registration) -> str:
        meeting = obj.meeting
        when = date_format(timezone.localtime(meeting.starts_at), "d/m/Y") if meeting.starts_at else "–"
        return f"{when} · {Truncator(meeting.lab.title).chars(32)}"

    # has_add_permission and add_view: RegistrationOnBehalfViews ("Aggiungi iscrizione" registers a person through
    # services.registration_create_by_staff, never through the model form).

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting skips every rule (no email, no history of a cancellation): superusers only, through the separate
        # "Elimina definitivamente" action or the change form's delete link. Everybody else cancels.
        return request.user.is_active and request.user.is_superuser

    # --- Exports: the selected rows (an action), or the whole filtered list (the buttons above the list) ----------
    change_list_template = "admin/registrations/registration/change_list.html"
    # Deleting stays the last action, far from "Annulla" (see RegistrationBackofficeMixin).
    actions = [
        *(name for name in RegistrationBackofficeMixin.actions if name != "delete_permanently"),
        "export_selected_csv",
        "export_selected_xlsx",
        "delete_permanently",
    ]

    @admin.action(description=gettext_lazy("Esporta le iscrizioni selezionate (CSV)"), permissions=["view"])
    def export_selected_csv(self, request, queryset):
        return registrants_export(queryset.order_by("meeting__starts_at", "last_name", "first_name"), "csv")

    @admin.action(description=gettext_lazy("Esporta le iscrizioni selezionate (Excel)"), permissions=["view"])
    def export_selected_xlsx(self, request, queryset):
        return registrants_export(queryset.order_by("meeting__starts_at", "last_name", "first_name"), "xlsx")

    def get_urls(self):
        export = path(
            "esporta/<str:file_format>/",
            self.admin_site.admin_view(self.export_view),
            name="registrations_registration_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request, file_format: str):
        """Export what the list shows: its filters, search and ordering, every page."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if file_format not in EXPORT_FORMATS:
            raise Http404
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:registrations_registration_changelist") + "?e=1")
        return registrants_export(changelist.get_queryset(request), file_format)

    def changelist_view(self, request, extra_context=None):
        extra = {"export_formats": EXPORT_FORMATS if self.has_view_permission(request) else ()}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        registration = self.get_object(request, object_id) if str(object_id).isdigit() else None
        if registration is not None and self.has_view_permission(request, registration):
            extra = attended_certificate_links(registration)
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "template", "status", "attempts", "next_attempt_at", "sent_at", "short_error"]
    list_filter = ["status", "template", "language"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["registration"]
    readonly_fields = [
        "to",
        "template",
        "language",
        "context",
        "registration",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "subject",
        "body_text",
        "body_html",
        "attachments",
        "created_at",
        "updated_at",
    ]
    actions = ["requeue"]

    def has_add_permission(self, request) -> bool:
        return False  # emails are written by the services, in the transaction that causes them

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("ultimo errore"))
    def short_error(self, obj: OutboundEmail) -> str:
        return obj.last_error[:80]

    @admin.action(description=_("Rimetti in coda le email non recapitate"), permissions=["view"])
    def requeue(self, request, queryset):
        count = outbox.outbox_requeue(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d email rimessa in coda.", "%(count)d email rimesse in coda.", count) % {"count": count},
            messages.SUCCESS,
        )


# --- The registrations' side of the labs admin ------------------------------------------------------------------------
class RegistrationInline(admin.TabularInline):
    """Who registered, read-only: changes go through the registrations admin and its actions (waiting list!)."""

    model = Registration
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    fields = ["last_name", "first_name", "email", "organization", "attendance_mode", "status", "attended"]
    readonly_fields = fields
    ordering = ["status", "last_name", "first_name"]
    verbose_name_plural = gettext_lazy("Iscrizioni")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StaffMessage)
class StaffMessageAdmin(admin.ModelAdmin):
    """The log of messages to registrants (registrations/messaging.py): what was sent, to which group of which
    meeting, by whom, and to whom, with each email's delivery state. Read-only: messages are sent with the meetings'
    "Scrivi agli iscritti" action; the meeting's page links its own log (``?meeting__id__exact=``)."""

    list_display = ["created_at", "meeting", "audience", "subject", "sent_by", "recipient_count"]
    list_filter = ["audience"]
    search_fields = ["subject", "meeting__title", "meeting__lab__title"]
    date_hierarchy = "created_at"
    list_select_related = ["meeting", "meeting__lab", "sent_by"]
    fields = ["created_at", "meeting", "audience", "sent_by", "subject", "body", "attachment", "recipients"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_recipients=Count("emails"))

    @admin.display(description=gettext_lazy("Quanti"), ordering="_recipients")
    def recipient_count(self, obj: StaffMessage) -> int:
        return obj._recipients

    @admin.display(description=gettext_lazy("Inviato a"))
    def recipients(self, obj: StaffMessage) -> str:
        emails = obj.emails.order_by("to")
        return ", ".join(f"{email.to} ({email.get_status_display()})" for email in emails) or "—"

    def has_view_permission(self, request, obj=None) -> bool:
        # Who may read the registrations may read what was written to them (the registrations desk included).
        return request.user.has_perm("registrations.view_registration")

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# What a saved meeting change did, as staff read it: plural messages whose number is the "count" they are given.
CANCELLED_WITH_MEETING = ngettext_lazy(
    "%(count)d iscrizione annullata con l'incontro.",
    "%(count)d iscrizioni annullate con l'incontro.",
    "count",
)
NOTIFIED = ngettext_lazy(
    "Avviso della modifica in coda per %(count)d iscritto.",
    "Avviso della modifica in coda per %(count)d iscritti.",
    "count",
)
UNTOLD = ngettext_lazy(
    "Come richiesto, %(count)d iscritto non è stato avvisato della modifica.",
    "Come richiesto, %(count)d iscritti non sono stati avvisati della modifica.",
    "count",
)
PROMOTED = ngettext_lazy(
    "%(count)d persona è passata dalla lista d'attesa agli iscritti.",
    "%(count)d persone sono passate dalla lista d'attesa agli iscritti.",
    "count",
)


def report_meeting_change(
    modeladmin: admin.ModelAdmin,
    request,
    meeting: Meeting,
    result: services.MeetingChangeResult,
    *,
    prefix: bool = False,
) -> None:
    """Tell staff what a saved meeting change did to the registrants (and who was not told)."""
    lead = f"«{meeting.title}»: " if prefix else ""
    reports = [
        (result.cancelled, CANCELLED_WITH_MEETING, messages.SUCCESS),
        (result.notified, NOTIFIED, messages.SUCCESS),
        ([] if result.notified else result.untold, UNTOLD, messages.WARNING),
        (result.promoted, PROMOTED, messages.INFO),
    ]
    for people, message, level in reports:
        if people:
            modeladmin.message_user(request, lead + message % {"count": len(people)}, level)


class MeetingRegistrationActions:
    """The meeting actions that work on its registrations (exports, messages, attendance, cancellation)."""

    def has_registrations_permission(self, request) -> bool:
        return request.user.has_perm("registrations.view_registration")

    def has_attendance_permission(self, request) -> bool:
        return request.user.has_perm("registrations.change_registration")

    def has_cancel_meetings_permission(self, request) -> bool:
        return request.user.has_perm("labs.change_meeting") and request.user.has_perm(
            "registrations.change_registration"
        )

    def _export(self, queryset, file_format: str) -> HttpResponse:
        registrations = (
            Registration.objects.filter(meeting__in=queryset)
            .exclude(status=Registration.Status.CANCELLED)
            .order_by("meeting__starts_at", "meeting_id", "last_name", "first_name")
        )
        return registrants_export(registrations, file_format)

    @admin.action(description=gettext_lazy("Esporta gli iscritti (CSV)"), permissions=["registrations"])
    def export_registrants_csv(self, request, queryset):
        return self._export(queryset, "csv")

    @admin.action(description=gettext_lazy("Esporta gli iscritti (Excel)"), permissions=["registrations"])
    def export_registrants_xlsx(self, request, queryset):
        return self._export(queryset, "xlsx")

    @admin.action(description=gettext_lazy("Scrivi agli iscritti"), permissions=["attendance"])
    def email_confirmed(self, request, queryset):
        """A message to a group of the selected meetings' registrants (messaging.py): preview, then send."""
        bound = "apply" in request.POST or "preview" in request.POST
        # The action named explicitly: the meeting page's form (message_view) opens with a GET, which carries none.
        initial = {**action_initial(request), "action": "email_confirmed"}
        form = StaffMessageForm(request.POST if bound else None, request.FILES or None, initial=initial)
        meeting_ids = list(queryset.values_list("pk", flat=True))
        preview = None
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            attachment = form.stored_attachment()
            if "apply" in request.POST:
                count = meetings_message(
                    meeting_ids=meeting_ids,
                    audience=data["audience"],
                    subject=data["subject"],
                    body=data["body"],
                    attachment=attachment,
                    sent_by_id=request.user.pk,
                )
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
            preview = message_preview(
                meeting_ids=meeting_ids,
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                attachment=attachment,
            )
        return render_action_form(
            self,
            request,
            queryset,
            form=form,
            title=_("Scrivi agli iscritti"),
            submit_label=_("Invia"),
            preview_step=True,
            preview=preview,
            intro=_(
                "Scegli a chi scrivere, poi guarda l'anteprima: è l'email che riceverà il primo destinatario, "
                "con il saluto personale e i collegamenti. Ogni messaggio resta nel registro dell'incontro."
            ),
        )

    @admin.action(description=gettext_lazy("Annulla gli incontri selezionati"), permissions=["cancel_meetings"])
    def cancel_meetings(self, request, queryset):
        queryset = queryset.filter(cancelled=False)

        def apply(data) -> None:
            notify = data["notify_registrants"]
            for meeting in queryset.select_related("lab").order_by("pk"):
                try:
                    result = services.meeting_update(
                        meeting_id=meeting.pk,
                        changes={"cancelled": True},
                        notify=notify,
                        cancel_registrations=data["cancel_registrations"],
                    )
                except services.RegistrationRefused as refusal:
                    self.message_user(request, f"«{meeting.title}»: {refusal.message}", messages.WARNING)
                    continue
                self.message_user(request, _("«%(title)s» annullato.") % {"title": meeting.title}, messages.SUCCESS)
                report_meeting_change(self, request, meeting, result, prefix=True)

        def intro() -> str:
            active = Registration.objects.filter(meeting__in=queryset).active().count()
            return ngettext(
                "Gli incontri selezionati hanno %(count)d iscrizione attiva (confermata, in attesa di conferma o in "
                "lista d'attesa). Se togli la spunta «Avvisa gli iscritti», nessuno riceverà l'email.",
                "Gli incontri selezionati hanno %(count)d iscrizioni attive (confermate, in attesa di conferma o in "
                "lista d'attesa). Se togli la spunta «Avvisa gli iscritti», nessuno riceverà l'email.",
                active,
            ) % {"count": active}

        return form_action(
            self,
            request,
            queryset,
            CancelMeetingsForm,
            apply=apply,
            shown=queryset.select_related("lab"),
            title=_("Annulla gli incontri selezionati"),
            submit_label=_("Sì, annulla gli incontri"),
            intro=intro,
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
        return HttpResponseRedirect(reverse("pdf:signin_sheet", args=[queryset.get().pk]))

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
            try:
                changed = meeting_mark_attendance(
                    meeting_id=meeting.pk,
                    present_ids=present,
                    user=request.user,
                    confirm_early=bool(request.POST.get("confirm_early")),
                )
            except services.RegistrationRefused as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                _("Presenze salvate. Presenti: %(present)d su %(total)d confermati; righe cambiate: %(changed)d.")
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
            "certificates_url": self.certificates_url(meeting.pk),
            "too_early": attendance_too_early(meeting),
            "checkin_url": reverse("admin:labs_meeting_checkin", args=[meeting.pk]),
        }
        return TemplateResponse(request, "admin/backoffice/attendance.html", context)


class MeetingAdmin(CertificateActions, MeetingCheckInViews, MeetingRegistrationActions, labs_admin.MeetingAdmin):
    form = MeetingChangeForm
    list_display = [
        "title",
        "lab",
        "starts_at",
        "format",
        "capacity",
        "seats_taken",
        "online_capacity",
        "online_seats_taken",
        "cancelled",
    ]
    inlines = [RegistrationInline]
    actions = [
        "export_registrants_csv",
        "export_registrants_xlsx",
        "email_confirmed",
        "mark_attendance",
        "signin_sheet",
        "send_certificates",
        "cancel_meetings",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _seats_taken=Count("registrations", filter=Q(registrations__status__in=HOLDS_SEAT)),
                _online_seats_taken=Count(
                    "registrations",
                    filter=Q(registrations__status__in=HOLDS_SEAT, registrations__attendance_mode=Meeting.Mode.ONLINE),
                ),
            )
        )

    @admin.display(description=gettext_lazy("Posti occupati"), ordering="_seats_taken")
    def seats_taken(self, obj: Meeting) -> int:
        """Every seat held; of a hybrid meeting, in the room and online together (the online ones are beside)."""
        return obj._seats_taken

    @admin.display(description=gettext_lazy("di cui online"), ordering="_online_seats_taken")
    def online_seats_taken(self, obj: Meeting) -> int | str:
        return obj._online_seats_taken if obj.is_hybrid else "–"

    def get_form(self, request, obj=None, change=False, **kwargs):
        return super().get_form(request, obj, change, **{"form": self.form.for_user(request.user), **kwargs})

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # Nobody to notify, nothing to cancel, while the meeting is being created; and nothing to choose for a person
        # who may only view the meeting (the admin would print the form-only fields as "Notify registrants: None").
        choices = {"notify_registrants", "cancel_registrations"}
        hidden = choices if obj is None or not self.has_change_permission(request, obj) else set()
        return [f for f in fields if f not in hidden]

    def get_urls(self):
        return [
            path(
                "<int:pk>/presenze/", self.admin_site.admin_view(self.attendance_view), name="labs_meeting_attendance"
            ),
            path(
                "<int:pk>/scrivi-agli-iscritti/",
                self.admin_site.admin_view(self.message_view),
                name="labs_meeting_message",
            ),
            *self.checkin_urls(),
            *super().get_urls(),
        ]

    def message_view(self, request, pk: int):
        """ "Scrivi agli iscritti" for this one meeting, reached from its page: the action's own form and service
        (email_confirmed), with the meeting already chosen. The form posts back here; once sent, back to the meeting."""
        if not self.has_attendance_permission(request):
            raise PermissionDenied
        queryset = Meeting.objects.select_related("lab").filter(pk=pk)
        if not queryset.exists():
            raise Http404
        response = self.email_confirmed(request, queryset)
        return response or HttpResponseRedirect(reverse("admin:labs_meeting_change", args=[pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        if object_id and str(object_id).isdigit():
            if self.has_attendance_permission(request):
                # The same permission as the "Scrivi agli iscritti" action (permissions=["attendance"]).
                extra["message_url"] = reverse("admin:labs_meeting_message", args=[object_id])
            if self.has_registrations_permission(request):
                extra["signin_sheet_url"] = reverse("pdf:signin_sheet", args=[object_id])
                extra["registrations_url"] = (
                    reverse("admin:registrations_registration_changelist") + f"?meeting__id__exact={object_id}"
                )
            if self.has_attendance_permission(request):
                extra["attendance_url"] = reverse("admin:labs_meeting_attendance", args=[object_id])
                extra["checkin_url"] = reverse("admin:labs_meeting_checkin", args=[object_id])
            if self.has_registrations_permission(request):
                extra["certificates_url"] = self.certificates_url(object_id)
            if self.has_registrations_permission(request):
                extra["messages_url"] = (
                    reverse("admin:registrations_staffmessage_changelist") + f"?meeting__id__exact={object_id}"
                )
            if request.user.has_perm("registrations.add_registration"):
                extra["on_behalf_url"] = reverse("admin:registrations_registration_add") + f"?meeting={object_id}"
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            # In the admin's transaction: the outbox rows commit with the meeting, the emails leave after commit.
            notify = form.cleaned_data.get("notify_registrants", False)
            result = services.meeting_changed(
                meeting_id=obj.pk,
                changed_fields=form.changed_data,
                notify=notify,
                cancel_registrations=form.cleaned_data.get("cancel_registrations", False),
            )
            report_meeting_change(self, request, obj, result)


class MeetingInline(labs_admin.MeetingInline):
    """The lab page's meetings, with the same registrants' choices and rules as the meeting's own page."""

    form = MeetingChangeForm
    fields = [*labs_admin.MeetingInline.fields, ("notify_registrants", "cancel_registrations")]

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, **{"form": self.form.for_user(request.user), **kwargs})

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        # A person who may only view the lab has nothing to choose: no form-only fields printed as "None".
        return [f for f in fields if f != ("notify_registrants", "cancel_registrations")]


class LabAdmin(CertificateActions, labs_admin.LabAdmin):
    inlines = [MeetingInline]
    certificate_scope = "lab"
    actions = [*(labs_admin.LabAdmin.actions or ()), "send_certificates"]

    def get_urls(self):
        return [
            path("<int:pk>/report/", self.admin_site.admin_view(self.report_view), name="labs_lab_report"),
            *super().get_urls(),
        ]

    def has_report_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("labs.view_lab") and request.user.has_perm("registrations.view_registration")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        if object_id and str(object_id).isdigit() and self.has_report_permission(request):
            extra["report_url"] = reverse("admin:labs_lab_report", args=[object_id])
            extra["certificates_url"] = self.certificates_url(object_id)
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def report_view(self, request, pk: int):
        lab = get_object_or_404(Lab.objects.select_related("project"), pk=pk)
        if not self.has_report_permission(request):
            raise PermissionDenied
        return report_page(
            self,
            request,
            lab,
            csv=lambda: lab_report_csv(lab),
            report=lambda: lab_report(lab),
            filename=f"report-{lab.slug}",
            title=_("Report: %(lab)s") % {"lab": lab.title},
            can_open_original=True,  # the report's permission includes viewing the lab
            project_report_url=(
                reverse("admin:projects_project_funder_report", args=[lab.project_id]) if lab.project_id else ""
            ),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Meeting:
            return super().save_formset(request, form, formset, change)
        # Read the choices of each changed existing meeting before the formset saves them; then run the same
        # service as the meeting's own page, in the same transaction.
        changes = [
            (f.instance.pk, list(f.changed_data), dict(f.cleaned_data))
            for f in formset.initial_forms
            if f.instance.pk and f.has_changed() and not f.cleaned_data.get("DELETE")
        ]
        super().save_formset(request, form, formset, change)
        meetings = Meeting.objects.in_bulk([pk for pk, _changed, _data in changes])
        for pk, changed, data in changes:
            notify = data.get("notify_registrants", False)
            result = services.meeting_changed(
                meeting_id=pk,
                changed_fields=changed,
                notify=notify,
                cancel_registrations=data.get("cancel_registrations", False),
            )
            report_meeting_change(self, request, meetings[pk], result, prefix=True)
        return None


def report_page(
    modeladmin: admin.ModelAdmin,
    request,
    original,
    *,
    csv: Callable[[], str],
    report: Callable[[], Report],
    filename: str,
    title: str,
    **extra,
) -> HttpResponse:
    """A report with a CSV and an Excel download: ?format=csv, ?format=xlsx, or the admin page. ``csv`` and ``report``
    are callables so only the format asked for is computed."""
    if request.GET.get("format") == "csv":
        response = HttpResponse(csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    built = report()
    if request.GET.get("format") == "xlsx":
        return report_xlsx_response(built, subject=original.title, filename=filename)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "original": original,
        "report": built,
        "csv_available": True,
        **extra,
    }
    return TemplateResponse(request, "admin/registrations/report.html", context)


def report_xlsx_response(report: Report, *, subject: str, filename: str) -> HttpResponse:
    response = HttpResponse(report_xlsx(report, subject=subject), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


class ProjectAdmin(projects_admin.ProjectAdmin):
    """The project's page links the funder report: its labs' registrations and attendance (registrations/reports.py)."""

    change_form_template = "admin/registrations/project_change_form.html"

    def get_urls(self):
        report = path(
            "<int:pk>/rapporto/",
            self.admin_site.admin_view(self.funder_report_view),
            name="projects_project_funder_report",
        )
        return [report, *super().get_urls()]

    def has_funder_report_permission(self, request) -> bool:
        # The registrations desk reads it too (from the lab's report), without the right to see the project's page.
        return request.user.has_perm("registrations.view_registration")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        if object_id and str(object_id).isdigit() and self.has_funder_report_permission(request):
            extra["funder_report_url"] = reverse("admin:projects_project_funder_report", args=[object_id])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def funder_report_view(self, request, pk: int):
        project = get_object_or_404(Project, pk=pk)
        if not self.has_funder_report_permission(request):
            raise PermissionDenied
        return report_page(
            self,
            request,
            project,
            csv=lambda: project_report_csv(project),
            report=lambda: project_report(project),
            filename=f"rapporto-{project.slug}",
            title=_("Rapporto per il finanziatore: %(project)s") % {"project": project.title},
            labs=list(project.labs.order_by("title").values_list("title", flat=True)),
            can_open_original=self.has_view_permission(request, project),
        )


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingAdmin)
admin.site.unregister(Lab)
admin.site.register(Lab, LabAdmin)
admin.site.unregister(Project)
admin.site.register(Project, ProjectAdmin)
