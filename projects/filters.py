"""The catalogue's filters (/progetti/ and its open-data exports share them).

Every parameter lives in the URL, so a filtered list can be bookmarked, shared and exported. Area and programme choices
are loaded with one query each (then cached for the content version) and validated against that list: a removed area
in an old link yields a clear form error, never a 500 and never an extra query.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.cache import cached_fragment
from core.search import clean_query, is_postgres
from core.widgets import FAST_WIDGETS, FastSelect
from projects.models import Area, FundingLine, FundingProgramme, Project

from .search import search_projects

PAGE_SIZE = 24
MIN_YEAR, MAX_YEAR = 1990, 2100


class SortChoices(models.TextChoices):
    TITLE = "title", _("Titolo (A–Z)")
    START = "-start_date", _("Data di inizio (più recenti)")
    BUDGET = "-budget", _("Budget (più alto)")
    RELEVANCE = "relevance", _("Pertinenza (con una ricerca)")


def area_choices() -> list[tuple[str, str]]:
    return cached_fragment(
        "area-choices",
        # In the page's language's alphabetical order (the table's order is the Italian names').
        lambda: sorted(
            ((area.slug, area.display_name) for area in Area.objects.only("slug", "name", "name_en")),
            key=lambda choice: choice[1].casefold(),
        ),
    )


def programme_choices() -> list[tuple[str, str]]:
    return cached_fragment(
        "programme-choices",
        lambda: [(programme.slug, programme.name) for programme in FundingProgramme.objects.only("slug", "name")],
    )


class CatalogueForm(forms.Form):
    """Cross-field checks of the filter form (django-filter builds the fields)."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("Il budget massimo non può essere inferiore al minimo."))
        return cleaned


def style_form(form: forms.Form, *, prefix: str) -> None:
    """Bootstrap Italia classes and ids on the widgets; invalid fields get .is-invalid and point at their message."""
    form.auto_id = f"{prefix}-%s"
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField):
            # Callable choices (areas, programmes) would run their query again at each use: load them once. django-filter
            # wraps them in an iterator that adds the empty choice; list what it wraps, or the empty choice is doubled.
            inner = getattr(field.choices, "choices", field.choices)
            field.choices = list(inner() if callable(inner) else inner)
    for name, field in form.fields.items():
        if type(field.widget) is forms.Select:
            # Same HTML, without a template include per option (core/widgets.py).
            field.widget = FastSelect(attrs=field.widget.attrs, choices=list(field.widget.choices))
        elif type(field.widget) in FAST_WIDGETS:
            fast = FAST_WIDGETS[type(field.widget)](attrs=field.widget.attrs)
            fast.is_required, fast.is_localized = field.widget.is_required, field.widget.is_localized
            field.widget = fast
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = css
        if isinstance(field, forms.IntegerField | forms.DecimalField):
            widget.attrs.setdefault("inputmode", "numeric")
        if form.is_bound and name in form.errors:
            widget.attrs["class"] = f"{css} is-invalid"
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = f"{prefix}-{name}-error"


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cerca nel catalogo"), method="filter_q", max_length=200)
    area = django_filters.ChoiceFilter(
        label=_("Area tematica"), choices=area_choices, method="filter_area", empty_label=_("Tutte le aree")
    )
    stato = django_filters.ChoiceFilter(
        label=_("Stato"), choices=Project.Status.choices, field_name="status", empty_label=_("Tutti gli stati")
    )
    programma = django_filters.ChoiceFilter(
        label=_("Programma di finanziamento"),
        choices=programme_choices,
        method="filter_programme",
        empty_label=_("Tutti i programmi"),
    )
    anno = YearFilter(label=_("Attivo nell'anno"), method="filter_year", min_value=MIN_YEAR, max_value=MAX_YEAR)
    budget_min = django_filters.NumberFilter(
        label=_("Budget minimo (€)"), field_name="budget", lookup_expr="gte", min_value=0, max_digits=14
    )
    budget_max = django_filters.NumberFilter(
        label=_("Budget massimo (€)"), field_name="budget", lookup_expr="lte", min_value=0, max_digits=14
    )
    ordina = django_filters.ChoiceFilter(
        label=_("Ordina per"), choices=SortChoices.choices, method="filter_noop", empty_label=None
    )

    class Meta:
        model = Project
        fields: list[str] = []
        form = CatalogueForm

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("ordina"):
            # Show the order actually applied (relevance for a search on PostgreSQL, else title) in the select.
            data = data.copy()
            data["ordina"] = (
                SortChoices.RELEVANCE if clean_query(data.get("q")) and is_postgres() else SortChoices.TITLE
            )
        super().__init__(data, *args, **kwargs)
        # Sorting is optional (a default applies) but its select offers no empty entry.
        self.form.fields["ordina"].required = False
        style_form(self.form, prefix="filtro")

    # Filters -----------------------------------------------------------------------------------------------------------
    def filter_q(self, queryset, name, value):
        return search_projects(queryset, clean_query(value))

    def filter_area(self, queryset, name, value):
        return queryset.in_area(value)

    def filter_programme(self, queryset, name, value):
        # The main programme or any funding line (GovernaTI-VA is found under Interreg, FESR and the Swiss funds). A
        # subquery, not a join: no duplicate rows, no DISTINCT, and the same number of queries.
        funded_by_line = FundingLine.objects.filter(programme__slug=value).values("project_id")
        return queryset.filter(models.Q(programme__slug=value) | models.Q(pk__in=funded_by_line))

    def filter_year(self, queryset, name, value):
        return queryset.active_in_year(int(value))

    def filter_noop(self, queryset, name, value):
        # Ordering is applied in filter_queryset, once every filter (and the search rank) is in place.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self.ordering())

    # Helpers for views and templates ----------------------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        data = getattr(self.form, "cleaned_data", {}) or {}
        return clean_query(data.get("q"))

    def sort_key(self) -> str:
        data = getattr(self.form, "cleaned_data", {}) or {}
        chosen = data.get("ordina") or ""
        if chosen == SortChoices.RELEVANCE and not (self.search_text and is_postgres()):
            chosen = ""
        if not chosen:
            chosen = SortChoices.RELEVANCE if self.search_text and is_postgres() else SortChoices.TITLE
        return chosen

    def ordering(self) -> list:
        """A total order (slug last) so that pages never repeat or skip a project."""
        key = self.sort_key()
        if key == SortChoices.RELEVANCE:
            return [models.F("rank").desc(), "title", "slug"]
        if key == SortChoices.START:
            return [models.F("start_date").desc(nulls_last=True), "title", "slug"]
        if key == SortChoices.BUDGET:
            return [models.F("budget").desc(nulls_last=True), "title", "slug"]
        return ["title", "slug"]

    @property
    def is_filtered(self) -> bool:
        return any(
            value not in (None, "") for name, value in self.data.items() if name in self.filters and name != "ordina"
        )

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, value shown) for each applied filter, for the "filters in use" summary."""
        if not self.is_bound or not self.form.is_valid():
            return []
        shown = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "") or name == "ordina":
                continue
            field = self.form.fields[name]
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            shown.append((str(field.label), str(value)))
        return shown

    def error_messages(self) -> list[str]:
        """ "Area tematica: …" lines for every invalid parameter (the page shows them and answers 400)."""
        messages = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages
