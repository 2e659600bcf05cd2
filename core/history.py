"""The staff audit trail (django-simple-history) in words: choice labels, local times in Italian, yes/no.

simple-history prints each change's stored value as is: "2026-03-10 09:15:00+00:00" for a meeting staff set to
10:15 in Rome, "cancelled" for a registration the rest of the admin calls "annullata". Every ModelAdmin with history
uses HistoryAdmin instead of SimpleHistoryAdmin.
"""

from __future__ import annotations

import datetime
from typing import Any

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
