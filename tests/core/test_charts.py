"""core.charts: the SVG is named and described, bars scale to the largest value, text is escaped."""

from __future__ import annotations

from decimal import Decimal

from core.charts import BAR_AREA, bar_chart
from core.templatetags.portal import format_euro


def test_bars_scale_to_the_largest_value():
    chart = bar_chart(
        "s",
        "Progetti per stato",
        "desc",
        [("In corso", 10), ("Concluso", 5), ("Vuoto", 0)],
        label_header="Stato",
        value_header="Progetti",
    )
    assert [(b.label, b.display, b.width) for b in chart.bars] == [
        ("In corso", "10", BAR_AREA),
        ("Concluso", "5", BAR_AREA / 2),
        ("Vuoto", "0", 0),
    ]


def test_svg_is_an_accessible_image():
    chart = bar_chart(
        "budget",
        "Budget per anno",
        "Somma dei budget: 2020 1.000,00 €.",
        [("2020", Decimal("1000"))],
        label_header="Anno",
        value_header="Budget",
        fmt=format_euro,
    )
    svg = str(chart.svg)
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 36" role="img" '
        'aria-labelledby="chart-budget-title chart-budget-desc">'
    )
    assert '<title id="chart-budget-title">Budget per anno</title>' in svg
    assert '<desc id="chart-budget-desc">Somma dei budget: 2020 1.000,00 €.</desc>' in svg
    assert '<text class="bar-value" x="506.0" y="18">1.000,00\u00a0€</text>' in svg


def test_labels_are_escaped_and_truncated():
    chart = bar_chart(
        "a",
        "T",
        "D",
        [("<b>Welfare & comunità con un nome molto lungo</b>", 1)],
        label_header="Area",
        value_header="Progetti",
    )
    svg = str(chart.svg)
    assert "<b>" not in svg
    assert "&lt;b&gt;Welfare &amp; comunità con un …" in svg


def test_empty_chart_has_no_bars():
    chart = bar_chart("e", "T", "D", [], label_header="A", value_header="B")
    assert chart.bars == []
    assert 'viewBox="0 0 640 36"' in str(chart.svg)
