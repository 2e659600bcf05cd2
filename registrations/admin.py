"""Registrations admin: who registered, the staff actions that go through the services (so seats, waiting list and
emails stay consistent), and the email outbox with its failures."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from labs.models import Meeting

from . import outbox, services
from .models import OutboundEmail, Registration


class RegistrationActionForm(ActionForm):
    """The action bar, plus the target meeting the "move" action needs."""

    target_meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.none(), required=False, label=_("Incontro di destinazione (per «Sposta»)")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_meeting"].queryset = Meeting.objects.filter(
            cancelled=False, starts_at__gt=timezone.now()
        ).select_related("lab")


def _run(modeladmin, request, queryset, action, done_message: str) -> None:
    """Apply a service to each selected registration; a refusal is shown per person, never as a 500."""
    done = 0
    for registration in queryset:
        try:
            action(registration)
        except services.RegistrationRefused as refusal:
            modeladmin.message_user(request, f"{registration.full_name}: {refusal.message}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "organization", "organization_type", "meeting", "status"]
    list_filter = ["status", "organization_type", "meeting__lab", "attended"]
    search_fields = ["first_name", "last_name", "email", "organization"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting", "meeting__lab"]
    readonly_fields = ["token", "created_at", "updated_at", "privacy_acknowledged_at", "reminder_sent_at", "batch"]
    date_hierarchy = "created_at"
    action_form = RegistrationActionForm
    actions = ["confirm_selected", "cancel_selected", "move_selected"]

    @admin.action(description=_("Conferma le iscrizioni selezionate"))
    def confirm_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status=Registration.Status.PENDING),
            lambda r: services.registration_confirm(registration_id=r.pk),
            _("Iscrizioni confermate: %(count)d."),
        )

    @admin.action(description=_("Annulla le iscrizioni selezionate (il posto passa alla lista d'attesa)"))
    def cancel_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset.filter(status__in=services.ACTIVE),
            lambda r: services.registration_cancel(registration_id=r.pk, by_staff=True),
            _("Iscrizioni annullate: %(count)d."),
        )

    @admin.action(description=_("Sposta le iscrizioni selezionate all'incontro indicato"))
    def move_selected(self, request, queryset):
        target = RegistrationActionForm(request.POST).fields["target_meeting"].clean(request.POST.get("target_meeting"))
        if target is None:
            self.message_user(request, _("Scegli l'incontro di destinazione."), messages.ERROR)
            return
        _run(
            self,
            request,
            queryset,
            lambda r: services.registration_move(registration_id=r.pk, meeting_id=target.pk),
            _("Iscrizioni spostate: %(count)d."),
        )


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
