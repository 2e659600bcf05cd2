"""Import/export of the project catalogue in the admin (django-import-export): areas and programmes by slug or name."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Area, FundingProgramme, Organization, Project


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
