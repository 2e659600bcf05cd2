"""`manage.py check --deploy` with a production environment reports nothing, and unsafe production values fail loudly.

Run in a subprocess: settings are read once per process, from the environment, exactly as in production."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The variables a developer or CI may have exported must not leak into the "production" process.
DROPPED = (
    "DATABASE",
    "REDIS",
    "CELERY",
    "DEBUG",
    "TESTING",
    "SECURE_",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' fixture in this process
)


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(DROPPED)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        {
            "DEBUG": "0",
            "TESTING": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "ancilab.example.it",
            "CSRF_TRUSTED_ORIGINS": "https://ancilab.example.it",
            "SITE_URL": "https://ancilab.example.it",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
            "VAR_DIR": str(tmp_path / "var"),
            "STATIC_ROOT": str(tmp_path / "static"),
        }
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issues(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "DEBUG")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # HSTS includeSubDomains and preload are opt-in (settings.py): their two warnings are silenced while off.
    assert "System check identified no issues (2 silenced)." in output, output


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set and DEBUG is off"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"SECURE_SSL_REDIRECT": "nope"}, "SECURE_SSL_REDIRECT='nope' is not a boolean"),
        ({"CACHE_LOCAL_PAGES": "many"}, "CACHE_LOCAL_PAGES='many' is not an integer"),
        ({"CACHE_LOCAL_SECONDS": "1s"}, "CACHE_LOCAL_SECONDS='1s' is not a number"),
    ],
    ids=["no-secret-key", "garbage-debug", "garbage-ssl-redirect", "garbage-integer", "garbage-number"],
)
def test_unsafe_production_values_fail_loudly(tmp_path, overrides, message):
    result = manage(production_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_values(tmp_path):
    """The values check --deploy does not look at, read back from a production process."""
    script = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS, "
        "s.SECURE_CONTENT_TYPE_NOSNIFF, s.LANGUAGE_COOKIE_SECURE, s.BENCH_ENDPOINTS, s.CSP_REPORT_ONLY)"
    )
    result = manage(production_env(tmp_path), "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",  # DEBUG
        "True",  # SESSION_COOKIE_SECURE
        "True",  # CSRF_COOKIE_SECURE
        "True",  # SESSION_COOKIE_HTTPONLY
        "31536000",  # SECURE_HSTS_SECONDS (one year)
        "False",  # SECURE_HSTS_INCLUDE_SUBDOMAINS: opt-in (SECURE_HSTS_INCLUDE_SUBDOMAINS=1)
        "True",  # SECURE_SSL_REDIRECT
        "DENY",
        "True",  # nosniff
        "True",  # LANGUAGE_COOKIE_SECURE
        "False",  # BENCH_ENDPOINTS: /bench/bare is never routed in production
        "False",  # CSP enforced, not report-only
    ]
