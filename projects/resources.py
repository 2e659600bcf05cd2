"""The project catalogue as a spreadsheet (django-import-export): import with a dry run, export, and a template.

Staff write spreadsheets in Italian: the columns carry the fields' Italian names (the same labels as the admin form),
amounts and dates are read as Italian Excel writes them ("125.000,00", "31/12/2024", or real dates from an XLSX),
choices by their label, related rows by name or slug. Every value that cannot be read is a per-row error in Italian that
names the column and the value, so one bad row never blocks the file: after the dry run staff may import the valid rows.
The import never publishes nor withdraws a project (see ProjectResource.import_instance).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import fields, resources, widgets

from .models import Project

# Model fields in the spreadsheet, in column order. The slug identifies the row: an existing slug updates that project.
FIELDS = (
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


def publication_unchanged_message(codes: list[str]) -> str:
    """What staff read after a file asked to publish or withdraw projects (ProjectResource keeps them as they were)."""
    return ngettext(
        "La colonna «Pubblicato» non cambia la pubblicazione: il progetto %(codes)s resta com'era (un progetto nuovo "
        "è una bozza). Per pubblicare o ritirare usa le azioni «Pubblica» e «Ritira» nell'elenco dei progetti.",
        "La colonna «Pubblicato» non cambia la pubblicazione: i progetti %(codes)s restano com'erano (un progetto "
        "nuovo è una bozza). Per pubblicare o ritirare usa le azioni «Pubblica» e «Ritira» nell'elenco dei progetti.",
        len(codes),
    ) % {"codes": ", ".join(f"«{code}»" for code in codes)}


# "Slug" means nothing to staff: the column that identifies a project is its code.
HEADER_OVERRIDES = {"slug": "Codice"}


def column_name(field_name: str) -> str:
    """The column header of a model field: its Italian label, whatever the staff member's admin language, so that a
    file exported by one person imports for another."""
    if field_name in HEADER_OVERRIDES:
        return HEADER_OVERRIDES[field_name]
    with translation.override("it"):
        return str(capfirst(Project._meta.get_field(field_name).verbose_name))


class DecimalItalianWidget(widgets.DecimalWidget):
    """Amounts as typed in Italy ("8.739.950,00", "€ 525.000", "1300000"), or numbers from an XLSX cell."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value)).quantize(Decimal("0.01"))
        text = re.sub(r"[€\s]", "", str(value))
        if "," in text:  # Italian: dots group thousands, the comma separates the cents
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # "525.000": dots are thousands, not decimals
            text = text.replace(".", "")
        try:
            return Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValueError(
                _("«%(value)s» non è un importo: scrivi ad esempio 125.000,00.") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class DateItalianWidget(widgets.DateWidget):
    """Dates as 31/12/2024 or 2024-12-31, or real dates from an XLSX cell (exported as real dates too)."""

    FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        raise ValueError(_("«%(value)s» non è una data: scrivi ad esempio 31/12/2024.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value  # a real date: XLSX gets a date cell, CSV its ISO form


class BooleanItalianWidget(widgets.BooleanWidget):
    TRUE = {"1", "sì", "si", "vero", "x", "true", "yes"}
    FALSE = {"0", "no", "falso", "false", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("«%(value)s» non è sì o no.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("sì") if value else _("no")


class ChoiceWidget(widgets.Widget):
    """A choice by its Italian label ("in corso") or its stored value ("ongoing")."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        with translation.override("it"):
            for stored, label in self.choices:
                if text.lower() in (stored.lower(), str(label).lower()):
                    return stored
            allowed = ", ".join(f"«{label}»" for _stored, label in self.choices)
        raise ValueError(
            _("«%(value)s» non è tra i valori ammessi: %(allowed)s.") % {"value": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        with translation.override("it"):
            return str(dict(self.choices).get(value, value or ""))


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


def _widget(name: str) -> widgets.Widget:
    model_field = Project._meta.get_field(name)
    if name in ("areas", "partners"):
        return SlugOrNameManyToManyWidget(model_field.related_model)
    if name in ("programme", "lead_organization"):
        return SlugOrNameForeignKeyWidget(model_field.related_model)
    if model_field.choices:
        return ChoiceWidget(model_field.choices)
    return {
        "DecimalField": DecimalItalianWidget,
        "DateField": DateItalianWidget,
        "BooleanField": BooleanItalianWidget,
    }.get(model_field.get_internal_type(), widgets.CharWidget)()


class ProjectResource(resources.ModelResource):
    """The catalogue as a spreadsheet, one project per row, with Italian headers (see the module docstring)."""

    class Meta:
        model = Project
        import_id_fields = ("slug",)
        fields = FIELDS
        export_order = FIELDS
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Codes of the valid rows whose "Pubblicato" differs from the project's state (kept: see import_instance).
        self.publication_unchanged: list[str] = []
        for name in FIELDS:
            self.fields[name] = fields.Field(attribute=name, column_name=column_name(name), widget=_widget(name))

    def export(self, *args, **kwargs):
        dataset = super().export(*args, **kwargs)
        dataset.title = _("Progetti")  # the XLSX sheet's name
        return dataset

    def template_dataset(self):
        """An empty spreadsheet with the columns and one example row, for staff starting a file from scratch."""
        dataset = self.export(queryset=Project.objects.none())
        dataset.title = _("Progetti")
        return dataset

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme", "lead_organization")
            .prefetch_related("areas", "partners")
            .order_by("slug")
        )

    def import_instance(self, instance, row, **kwargs):
        """Errors keyed by column (not by field name); many-to-many values are checked here too, before anything is
        saved, so an unknown area is this row's error instead of an exception that stops the whole file."""
        errors: dict[str, ValidationError] = {}
        # Publishing is an explicit act (the "Pubblica"/"Ritira" actions, issue 16): a file never publishes nor
        # withdraws a project. A new one is a draft, an existing one keeps its state; the column is exported for
        # information, and a row asking otherwise is named in a message (publication_unchanged_message).
        was_published = instance.published if instance.pk else False
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.error_dict)
        requested, instance.published = instance.published, was_published
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [ValidationError(str(error), code="invalid")]
        if errors:
            raise ValidationError(errors)
        if requested != was_published:
            self.publication_unchanged.append(instance.slug)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.publication_unchanged = self.publication_unchanged

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            labels = {name: column_name(name) for name in FIELDS}
            raise ValidationError(
                {labels.get(key, key): messages for key, messages in error.message_dict.items()}
            ) from None
