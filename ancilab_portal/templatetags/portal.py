"""Template helpers shared by every page: Bootstrap Italia icons, Italian money and time ranges, localized fields."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.html import format_html

from ancilab_portal.models import localized as _localized

register = template.Library()


@register.simple_tag
def icon(name: str, css: str = "", title: str = "") -> str:
    """<svg class="icon"><use href="…/sprites.svg#it-calendar"></svg>, decorative unless a title is given."""
    href = f"{static('vendor/bootstrap-italia/svg/sprites.svg')}#{name}"
    if title:
        return format_html(
            '<svg class="icon {}" role="img" aria-label="{}"><use href="{}"></use></svg>', css, title, href
        )
    return format_html(
        '<svg class="icon {}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', css, href
    )


def format_euro(value: Decimal | int | float | None) -> str:
    """8739950 -> "8.739.950,00 €" whatever the active language (amounts are in euro, written the Italian way)."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    integer, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    return f"{sign}{'.'.join(groups)},{cents}\u00a0€"


@register.filter
def euro(value) -> str:
    return format_euro(value)


@register.filter
def localized(obj, field: str) -> str:
    return _localized(obj, field)


@register.simple_tag
def time_range(starts_at, ends_at) -> str:
    """ "9:30–13:30" in local time (en dash, 24 h)."""
    if starts_at is None:
        return ""
    start = formats.time_format(timezone.localtime(starts_at), "TIME_FORMAT")
    if ends_at is None:
        return start
    return f"{start}–{formats.time_format(timezone.localtime(ends_at), 'TIME_FORMAT')}"
