"""FastSelect renders exactly what Django's template-based Select renders."""

from __future__ import annotations

import pytest
from django import forms

from core.widgets import FastSelect

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
