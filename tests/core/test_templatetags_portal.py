"""core/templatetags/portal.py: amounts in euro as each language writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from core.templatetags.portal import format_euro


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("it", Decimal("31144694.91"), "31.144.694,91\u00a0€"),
        ("it", 525000, "525.000,00\u00a0€"),
        ("it", Decimal("-12.5"), "-12,50\u00a0€"),
        ("en", Decimal("31144694.91"), "€31,144,694.91"),
        ("en", 525000, "€525,000.00"),
        ("en", Decimal("0.004"), "€0.00"),
    ],
)
def test_euro_in_each_language(language, value, expected):
    with translation.override(language):
        assert format_euro(value) == expected


def test_no_amount_is_no_text():
    assert format_euro(None) == ""


def test_icons_follow_the_static_settings(settings):
    from core.templatetags.portal import icon

    settings.STATIC_URL = "/statici/"
    assert 'href="/statici/vendor/bootstrap-italia/svg/sprites.svg#it-search"' in icon("it-search")
    settings.STATIC_URL = "/altri/"
    assert 'href="/altri/vendor/bootstrap-italia/svg/sprites.svg#it-search"' in icon("it-search")
