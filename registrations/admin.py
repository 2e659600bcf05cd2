"""Registrations admin: who registered, the staff actions that go through the services (so seats, waiting list and
emails stay consistent), and the email outbox with its failures."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from registrations.admin_actions import RegistrationBackofficeMixin

from . import outbox
from .models import OutboundEmail, Registration


@admin.register(Registration)
class RegistrationAdmin(RegistrationBackofficeMixin, SimpleHistoryAdmin):
    """Filters (meeting, lab, status, organisation type, province), search, and the staff actions (confirm, cancel with
    waiting-list promotion, move, GDPR export and erasure) come from the back-office mixin, which calls the services."""

    list_display = ["last_name", "first_name", "email", "organization", "organization_type", "meeting", "status"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting", "meeting__lab"]
    readonly_fields = ["token", "created_at", "updated_at", "privacy_acknowledged_at", "reminder_sent_at", "batch"]
    date_hierarchy = "created_at"


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
