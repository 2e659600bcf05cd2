"""The development .env is read by manage.py only (or on request, READ_DOTENV=1): gunicorn, Celery and the test suite
never read it (issue 13: a `make install` .env with DEBUG=1 turned a gunicorn started from the checkout into a debug
server that needed no SECRET_KEY).

The real settings module runs in a subprocess, copied beside a .env of the test's own (settings look for .env next to
the project package), so the test never touches the developer's .env."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.website.test_deploy_check import DROPPED

SETTINGS = Path(__file__).resolve().parents[2] / "ancilab_portal" / "settings.py"
PRINT_SETTINGS = "import ancilab_portal.settings as s; print(s.DEBUG, s.DOTENV_READ, s.SECRET_KEY[:5])"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A checkout with `make install`'s development .env."""
    package = tmp_path / "ancilab_portal"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(SETTINGS, package / "settings.py")
    (tmp_path / ".env").write_text("# Local development settings\nDEBUG=1\n")
    (tmp_path / "manage.py").write_text(PRINT_SETTINGS + "\n")
    return tmp_path


def run(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(DROPPED)}
    clean.update(PYTHONPATH=str(checkout), VAR_DIR=str(checkout / "var"), **env)
    return subprocess.run(
        [sys.executable, *args], cwd=checkout, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def test_manage_py_reads_the_development_env(checkout):
    result = run(checkout, "manage.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "djang"]  # DEBUG from .env, the development key
    assert result.stderr == ""


def test_a_production_process_ignores_it_and_says_so(checkout):
    """gunicorn and Celery import the settings from their own entry point, not manage.py."""
    result = run(checkout, "-c", PRINT_SETTINGS, SECRET_KEY="prod-secret-key")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "prod-"]
    assert result.stderr == (
        f"settings: {checkout / '.env'} not read: only manage.py (or READ_DOTENV=1) reads the development .env; "
        "this process takes its configuration from the environment.\n"
    )


def test_so_a_production_process_without_secret_key_refuses_to_start(checkout):
    result = run(checkout, "-c", PRINT_SETTINGS)
    assert result.returncode == 1
    assert "SECRET_KEY is not set and DEBUG is off." in result.stderr
    assert result.stdout == ""


def test_the_real_environment_still_wins_over_the_env_file(checkout):
    result = run(checkout, "manage.py", DEBUG="0", SECRET_KEY="prod-secret-key")
    assert result.stdout.split() == ["False", "True", "prod-"]


def test_a_development_worker_opts_in_with_read_dotenv(checkout):
    """make run's Celery scheduler is not manage.py: it asks for the .env explicitly."""
    result = run(checkout, "-c", PRINT_SETTINGS, READ_DOTENV="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "djang"]
