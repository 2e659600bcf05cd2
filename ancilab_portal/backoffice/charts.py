"""Small server-side SVG bar charts for the back-office: no JavaScript, no inline styles, accessible.

The SVG carries role="img" with a <title> and <desc>; the same figures are always printed next to it in a table,
so nobody depends on reading the bars.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    baseline: float
    max_value: int


def bar_chart(
    points: list[tuple[str, int]], *, title: str, description: str, width: int = 640, height: int = 200
) -> BarChart:
    """Lay out a vertical bar chart; the template draws it (templates/admin/backoffice/bar_chart.html)."""
    top, bottom, left, right = 16, 32, 8, 8
    plot_height = height - top - bottom
    max_value = max((value for _, value in points), default=0)
    scale = plot_height / max_value if max_value else 0
    slot = (width - left - right) / max(len(points), 1)
    bar_width = max(slot * 0.7, 1)
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = value * scale
        x = left + index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(top + plot_height - bar_height, 1),
                width=round(bar_width, 1),
                height=round(bar_height, 1),
                label_x=round(x + bar_width / 2, 1),
            )
        )
    return BarChart(
        title=title,
        description=description,
        bars=bars,
        width=width,
        height=height,
        baseline=top + plot_height,
        max_value=max_value,
    )
