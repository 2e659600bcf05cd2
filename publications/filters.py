"""Filters of /pubblicazioni/: kind, thematic area, year (all in the URL)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from projects.filters import area_choices, style_form
from publications.models import Publication


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PublicationFilter(django_filters.FilterSet):
    tipo = django_filters.ChoiceFilter(
        label=_("Tipo"), choices=Publication.Kind.choices, field_name="kind", empty_label=_("Tutti i tipi")
    )
    area = django_filters.ChoiceFilter(
        label=_("Area tematica"), choices=area_choices, field_name="areas__slug", empty_label=_("Tutte le aree")
    )
    anno = YearFilter(label=_("Anno"), field_name="year", min_value=1900, max_value=2100)

    class Meta:
        model = Publication
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        style_form(self.form, prefix="filtro")

    def error_messages(self) -> list[str]:
        messages = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            messages.extend(f"{label}: {error}" if label else str(error) for error in errors)
        return messages
