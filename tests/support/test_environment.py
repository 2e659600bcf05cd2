"""tests/support/environment.py: the run declares TESTING=1, and with REQUIRE_ALL_TESTS or CI set a skipped test fails.

The REQUIRE_ALL_TESTS cases run a small suite in a pytest subprocess, with this plugin and nothing of the portal's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
SUITE = """
import pytest

def test_runs():
    pass

def test_needs_a_service():
    pytest.skip("needs PostgreSQL (set DATABASE_URL)")

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_known_bug():
    assert False
"""


def test_the_run_sets_testing_and_settings_read_it():
    assert os.environ["TESTING"] == "1"
    assert settings.TESTING is True


def run_suite(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_sample.py").write_text(SUITE, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k not in {"CI", "REQUIRE_ALL_TESTS", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.support.environment",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-rA",
            "test_sample.py",
        ],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), "COLUMNS": "400", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_locally_a_test_needing_a_missing_service_skips_with_its_reason(tmp_path):
    result = run_suite(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped, 1 xfailed" in result.stdout
    assert "needs PostgreSQL (set DATABASE_URL)" in result.stdout


@pytest.mark.parametrize("env", [{"CI": "true"}, {"REQUIRE_ALL_TESTS": "1"}], ids=["CI", "REQUIRE_ALL_TESTS"])
def test_where_every_test_must_run_a_skip_fails(tmp_path, env):
    result = run_suite(tmp_path, **env)
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 passed, 1 xfailed" in result.stdout
    assert (
        "FAILED test_sample.py::test_needs_a_service - skipped where every test must run (REQUIRE_ALL_TESTS or CI is "
        "set): needs PostgreSQL (set DATABASE_URL)"
    ) in result.stdout


def test_require_all_tests_0_overrides_ci(tmp_path):
    result = run_suite(tmp_path, CI="true", REQUIRE_ALL_TESTS="0")
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped, 1 xfailed" in result.stdout
