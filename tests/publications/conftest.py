from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _italian_first():
    """A request under /en/ leaves English active in the thread, and reverse() would then build /en/ URLs."""
    translation.activate("it")
    yield
    translation.activate("it")
