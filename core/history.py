"""The staff audit trail (django-simple-history) in words: choice labels, local times in Italian, yes/no.

simple-history prints each change's stored value as is: "2026-03-10 09:15:00+00:00" for a meeting staff set to
10:15 in Rome, "cancelled" for a registration the rest of the admin calls "annullata". Every ModelAdmin with history
uses HistoryAdmin instead of SimpleHistoryAdmin.

History is read-only (SIMPLE_HISTORY_REVERT_DISABLED, and a POST to a past version is refused): a revert would write
around the services that keep the registration rules and notify registrants.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


def readable_value(field, value: Any) -> Any:
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    return value


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):  # many-to-many: already the related objects
            return value
        return readable_value(self.model._meta.get_field(change.field), value)


class HistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        # simple-history prints the change reason as is: "None" on every change saved without one.
        for record in historical_records:
            if not record.history_change_reason:
                record.history_change_reason = "—"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is shown, never saved back: "revert" would write around the services (a meeting moved
        # with no notice to its registrants, a registration status set by hand). SIMPLE_HISTORY_REVERT_DISABLED only
        # hides the button; simple-history still saves a POST to this page.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view_title(self, request, obj):
        # with revert disabled simple-history titles the page "View history: %s", which has no Italian translation.
        return _("Cronologia delle modifiche: %(object)s") % {"object": obj}
