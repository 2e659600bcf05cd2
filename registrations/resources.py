"""django-import-export resource of the registrants of meetings (export).

Column headers are the Italian labels staff see in their spreadsheets; related rows are referenced by slug or name,
because staff type names, not ids.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources

from core.spreadsheets import safe_cell
from registrations.models import Registration


class RegistrantResource(resources.ModelResource):
    """One row per registration, for the sign-in desk and the funders' lists."""

    lab = fields.Field(column_name="laboratorio")
    meeting = fields.Field(column_name="incontro")
    meeting_date = fields.Field(column_name="data")
    attendance_mode = fields.Field(column_name="partecipazione")
    last_name = fields.Field(attribute="last_name", column_name="cognome")
    first_name = fields.Field(attribute="first_name", column_name="nome")
    email = fields.Field(attribute="email", column_name="email")
    organization = fields.Field(attribute="organization", column_name="ente")
    organization_type = fields.Field(column_name="tipo di ente")
    organization_code = fields.Field(attribute="organization_code", column_name="Codice ISTAT ente")
    role = fields.Field(attribute="role", column_name="ruolo")
    status = fields.Field(column_name="stato")
    attended = fields.Field(column_name="presente")
    created_at = fields.Field(column_name="iscritto il")

    class Meta:
        model = Registration
        fields = (
            "lab",
            "meeting",
            "meeting_date",
            "attendance_mode",
            "last_name",
            "first_name",
            "email",
            "organization",
            "organization_type",
            "organization_code",
            "role",
            "status",
            "attended",
            "created_at",
        )
        export_order = fields

    def __init__(self, *, native_dates: bool = False, **kwargs):
        super().__init__(**kwargs)
        # XLSX gets real date cells in local time (naive: Excel has no time zones) and text as typed; CSV gets the
        # Italian text and neutralised cells.
        self.native_dates = native_dates

    def _when(self, value):
        local = timezone.localtime(value)
        return local.replace(tzinfo=None) if self.native_dates else local.strftime("%d/%m/%Y %H:%M")

    def export_field(self, field, instance, **kwargs):
        # Names, Ente and role are typed by the public: never let a spreadsheet run them (core/spreadsheets.py). An
        # XLSX types its cells instead (registrations/workbooks.py), so there the text stays as typed.
        value = super().export_field(field, instance, **kwargs)
        return value if self.native_dates else safe_cell(value)

    def get_export_headers(self, selected_fields=None):
        # The msgids are Italian; headers follow the active language like the rest of the admin.
        return [_(header) for header in super().get_export_headers(selected_fields)]

    def dehydrate_lab(self, obj: Registration) -> str:
        return obj.meeting.lab.title

    def dehydrate_meeting(self, obj: Registration) -> str:
        return obj.meeting.title

    def dehydrate_meeting_date(self, obj: Registration):
        starts_at = obj.meeting.starts_at
        return self._when(starts_at) if starts_at else ""

    def dehydrate_attendance_mode(self, obj: Registration) -> str:
        return str(obj.get_attendance_mode_display())

    def dehydrate_organization_type(self, obj: Registration) -> str:
        return str(obj.get_organization_type_display())

    def dehydrate_status(self, obj: Registration) -> str:
        return str(obj.get_status_display())

    def dehydrate_attended(self, obj: Registration) -> str:
        return _("sì") if obj.attended else _("no")

    def dehydrate_created_at(self, obj: Registration):
        return self._when(obj.created_at)
