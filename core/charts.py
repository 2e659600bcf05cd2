"""Accessible server-side SVG bar charts: no JavaScript, no third-party library.

A chart is an <svg role="img"> named by its <title> and described by its <desc>; the same rows are rendered as a data
table next to it, so screen-reader users and people who prefer numbers get the whole content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

LABEL_WIDTH = 200
BAR_AREA = 300
VALUE_WIDTH = 140
ROW_HEIGHT = 28
BAR_HEIGHT = 18
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    display: str  # the value as people read it ("12", "8.739.950,00 €")
    width: float  # the bar's length in SVG units


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    label_header: str
    value_header: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT + 8

    @property
    def svg(self) -> SafeString:
        return render_svg(self)


def bar_chart(
    slug: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Decimal | int]],
    *,
    label_header: str,
    value_header: str,
    fmt: Callable[[Decimal | int], str] = str,
) -> Chart:
    """Scale the rows to the longest bar; a zero row keeps a 0-length bar (its value still shows)."""
    top = max((value for _, value in rows), default=0) or 1
    bars = [Bar(str(label), value, fmt(value), round(float(value) / float(top) * BAR_AREA, 1)) for label, value in rows]
    return Chart(slug, str(title), str(description), str(label_header), str(value_header), bars)


def _truncate(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def render_svg(chart: Chart) -> SafeString:
    rows = []
    for index, bar in enumerate(chart.bars):
        y = index * ROW_HEIGHT + 4
        text_y = y + BAR_HEIGHT - 4
        rows.append(
            (
                LABEL_WIDTH - 8,
                text_y,
                _truncate(bar.label),
                LABEL_WIDTH,
                y,
                bar.width,
                BAR_HEIGHT,
                LABEL_WIDTH + bar.width + 6,
                text_y,
                bar.display,
            )
        )
    body = format_html_join(
        "",
        '<text class="bar-label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="bar-value" x="{}" y="{}">{}</text>',
        rows,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="chart-{}-title chart-{}-desc">'
        '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>'
        '<line class="axis" x1="{}" y1="0" x2="{}" y2="{}"></line>{}</svg>',
        WIDTH,
        chart.height,
        chart.slug,
        chart.slug,
        chart.slug,
        chart.title,
        chart.slug,
        chart.description,
        LABEL_WIDTH,
        LABEL_WIDTH,
        chart.height,
        body,
    )
