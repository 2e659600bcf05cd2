"""Shared markers for the public-site tests."""

from __future__ import annotations

import datetime

import pytest
from django.utils import formats, translation


def italian_months_are_lower_case() -> bool:
    with translation.override("it"):
        return formats.date_format(datetime.date(2020, 11, 3), "DATE_FORMAT") == "3 novembre 2020"


# Django's own Italian catalogue capitalises month names ("3 Novembre 2020"); the fix is an Italian override catalogue in
# locale/ (lead-owned, reported in /tmp/coord/pdf_notes.md). Until it lands, assertions on the lower-case month are
# expected failures; once it lands the condition turns false and they run as plain assertions.
needs_lowercase_months = pytest.mark.xfail(
    not italian_months_are_lower_case(),
    reason="locale/it override of month names missing: Django renders '3 Novembre 2020'",
    strict=True,
)
