"""The fast widgets render exactly what Django's template-based widgets render."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy

from core import widgets
from core.widgets import FastNumberInput, FastSelect, FastTextInput

CHOICES = [("", "Tutte le aree"), ("welfare", "Welfare & <inclusione>"), ("ambiente", 'Ambiente "verde"'), (3, "Tre")]
GROUPED = [("Aree", [("a", "A"), ("b", "B")]), ("c", "C")]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, None, {}),
        (CHOICES, "welfare", {"class": "form-select is-invalid", "aria-invalid": "true", "id": "filtro-area"}),
        (CHOICES, 3, {"required": True, "disabled": False, "data-x": 'a"b'}),
        (GROUPED, "b", {"id": "g"}),
    ],
)
def test_fast_select_matches_djangos_select(choices, value, attrs):
    expected = forms.Select(attrs=dict(attrs), choices=choices).render("area", value)
    assert FastSelect(attrs=dict(attrs), choices=choices).render("area", value) == expected


def test_fast_select_escapes_labels_and_values():
    html = FastSelect(choices=[('"><script>', "<b>x</b>")]).render("q", None)
    assert '<option value="&quot;&gt;&lt;script&gt;"><b>' not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize(
    ("fast", "django_widget", "value", "attrs"),
    [
        (FastTextInput, forms.TextInput, None, {}),
        (FastTextInput, forms.TextInput, 'ambiente "verde" <b>', {"class": "form-control", "maxlength": "200"}),
        (FastNumberInput, forms.NumberInput, 1500, {"min": "0", "inputmode": "numeric", "required": True}),
        (FastNumberInput, forms.NumberInput, "", {"aria-invalid": "true", "disabled": False}),
    ],
)
def test_fast_inputs_match_djangos_inputs(fast, django_widget, value, attrs):
    expected = django_widget(attrs=dict(attrs)).render("budget", value)
    assert fast(attrs=dict(attrs)).render("budget", value) == expected


def test_a_select_rendered_again_with_the_same_inputs_is_the_same_html():
    widgets._rendered_selects.clear()
    first = FastSelect(attrs={"id": "a"}, choices=CHOICES).render("area", "welfare")
    assert len(widgets._rendered_selects) == 1
    again = FastSelect(attrs={"id": "a"}, choices=CHOICES).render("area", "welfare")
    assert again == first == forms.Select(attrs={"id": "a"}, choices=CHOICES).render("area", "welfare")
    assert len(widgets._rendered_selects) == 1
    other = FastSelect(attrs={"id": "a"}, choices=CHOICES).render("area", "ambiente")
    assert 'value="ambiente" selected' in other and 'value="welfare" selected' not in other


def test_a_lazy_label_is_kept_per_language():
    widgets._rendered_selects.clear()
    choices = [("", gettext_lazy("Tutte le aree")), ("a", "A")]
    with translation.override("it"):
        italian = FastSelect(choices=choices).render("area", None)
    with translation.override("en"):
        english = FastSelect(choices=choices).render("area", None)
    assert ">Tutte le aree<" in italian
    assert ">All areas<" in english


def test_the_store_of_rendered_selects_is_bounded():
    widgets._rendered_selects.clear()
    for number in range(widgets.RENDERED_SELECTS_MAX + 5):
        FastSelect(choices=CHOICES).render(f"field{number}", None)
    assert len(widgets._rendered_selects) <= widgets.RENDERED_SELECTS_MAX
