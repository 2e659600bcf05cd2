"""docs/performance.md names the test that pins each departure from stock Django: those tests must exist, so a rename
cannot leave the fence pointing at nothing."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# `tests/core/test_cache.py::test_x`, then `::test_y` for more tests of the same file.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?::(test_\w+)`")


def test_every_test_named_in_the_performance_fence_exists():
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    named, missing, current = 0, [], None
    for match in REFERENCE.finditer(text):
        current = match.group(1) or current
        named += 1
        source = (ROOT / current).read_text(encoding="utf-8")
        if f"def {match.group(2)}(" not in source:
            missing.append(f"{current}::{match.group(2)}")
    assert named >= 20
    assert missing == []
