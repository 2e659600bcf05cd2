"""django-import-export resources: registrants of meetings (export) and the project catalogue (import and export).

Column headers are the Italian labels staff see in their spreadsheets; related rows are referenced by slug or name,
because staff type names, not ids.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from projects.models import Area, FundingProgramme, Organization, Project
from registrations.models import Registration


class RegistrantResource(resources.ModelResource):
    """One row per registration, for the sign-in desk and the funders' lists."""

    lab = fields.Field(column_name="laboratorio")
    meeting = fields.Field(column_name="incontro")
    meeting_date = fields.Field(column_name="data")
    last_name = fields.Field(attribute="last_name", column_name="cognome")
    first_name = fields.Field(attribute="first_name", column_name="nome")
    email = fields.Field(attribute="email", column_name="email")
    organization = fields.Field(attribute="organization", column_name="ente")
    organization_type = fields.Field(column_name="tipo di ente")
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
            "last_name",
            "first_name",
            "email",
            "organization",
            "organization_type",
            "role",
            "status",
            "attended",
            "created_at",
        )
        export_order = fields

    def get_export_headers(self, selected_fields=None):
        # The msgids are Italian; headers follow the active language like the rest of the admin.
        return [_(header) for header in super().get_export_headers(selected_fields)]

    def dehydrate_lab(self, obj: Registration) -> str:
        return obj.meeting.lab.title

    def dehydrate_meeting(self, obj: Registration) -> str:
        return obj.meeting.title

    def dehydrate_meeting_date(self, obj: Registration) -> str:
        starts_at = obj.meeting.starts_at
        return timezone.localtime(starts_at).strftime("%d/%m/%Y %H:%M") if starts_at else ""

    def dehydrate_organization_type(self, obj: Registration) -> str:
        return str(obj.get_organization_type_display())

    def dehydrate_status(self, obj: Registration) -> str:
        return str(obj.get_status_display())

    def dehydrate_attended(self, obj: Registration) -> str:
        return _("sì") if obj.attended else _("no")

    def dehydrate_created_at(self, obj: Registration) -> str:
        return timezone.localtime(obj.created_at).strftime("%d/%m/%Y %H:%M")


class SlugOrNameMixin:
    """Find a related row by slug, else by name (case-insensitive); a value matching nothing is a row error."""

    name_field = "name"

    def lookup(self, value: str):
        value = value.strip()
        match = self.model.objects.filter(Q(slug=value) | Q(**{f"{self.name_field}__iexact": value})).first()
        if match is None:
            raise ValueError(
                _("«%(value)s» non trovato tra %(model)s.")
                % {"value": value, "model": self.model._meta.verbose_name_plural}
            )
        return match


class SlugOrNameForeignKeyWidget(SlugOrNameMixin, widgets.ForeignKeyWidget):
    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if not value or not str(value).strip():
            return None
        return self.lookup(str(value))

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class SlugOrNameManyToManyWidget(SlugOrNameMixin, widgets.ManyToManyWidget):
    """Several values separated by semicolons (names may contain commas)."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=";", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        items = [item for item in str(value).split(self.separator) if item.strip()]
        return self.model.objects.filter(pk__in=[self.lookup(item).pk for item in items])

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(item.slug for item in value.all())


class ProjectResource(resources.ModelResource):
    """The catalogue as a spreadsheet. Rows are matched on the slug: an existing slug updates that project."""

    areas = fields.Field(attribute="areas", column_name="areas", widget=SlugOrNameManyToManyWidget(Area))
    programme = fields.Field(
        attribute="programme", column_name="programme", widget=SlugOrNameForeignKeyWidget(FundingProgramme)
    )
    lead_organization = fields.Field(
        attribute="lead_organization",
        column_name="lead_organization",
        widget=SlugOrNameForeignKeyWidget(Organization),
    )
    partners = fields.Field(
        attribute="partners", column_name="partners", widget=SlugOrNameManyToManyWidget(Organization)
    )

    class Meta:
        model = Project
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "title_en",
            "acronym",
            "summary",
            "summary_en",
            "description",
            "status",
            "start_date",
            "end_date",
            "budget",
            "budget_note",
            "anci_role",
            "with_ancilab",
            "published",
            "areas",
            "programme",
            "lead_organization",
            "partners",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme", "lead_organization")
            .prefetch_related("areas", "partners")
            .order_by("slug")
        )
