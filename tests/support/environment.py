"""What the test run declares about itself, loaded by pytest before Django reads its settings.

pyproject.toml loads this module with ``-p tests.support.environment``: pytest-django imports the settings while pytest
loads its initial conftests, so a conftest.py would set a variable too late.

- ``TESTING=1``: settings.py switches to its test defaults (no HTTPS redirect, plain static storage, a development
  SECRET_KEY) because the run says so, like any other environment variable.
- ``REQUIRE_ALL_TESTS`` (default: on when ``CI`` is set; .ci/run exports it): every collected test must run. A skip,
  e.g. a test needing PostgreSQL, Redis or Chromium on a machine without them, is reported as a failure, so a CI run
  cannot pass with part of the suite silently left out. Locally, without it, those tests skip and say why.
"""

from __future__ import annotations

import os

import pytest

os.environ["TESTING"] = "1"

_OFF = {"", "0", "false", "no", "off"}


def require_all_tests() -> bool:
    raw = os.environ.get("REQUIRE_ALL_TESTS")
    if raw is None:
        raw = os.environ.get("CI", "")
    return raw.strip().lower() not in _OFF


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ")


def _fail_instead_of_skip(report):
    if report.skipped and not hasattr(report, "wasxfail") and require_all_tests():
        report.outcome = "failed"
        report.longrepr = f"skipped where every test must run (REQUIRE_ALL_TESTS or CI is set): {_skip_reason(report)}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    return _fail_instead_of_skip((yield))


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    return _fail_instead_of_skip((yield))


def pytest_report_header(config) -> str:
    mode = "every test must run (a skip fails)" if require_all_tests() else "tests needing a missing service skip"
    return f"TESTING=1; REQUIRE_ALL_TESTS: {mode}"
