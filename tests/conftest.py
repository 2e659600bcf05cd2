"""Suite-wide fixtures. The suite runs on SQLite by default and on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection


@pytest.fixture(autouse=True)
def _isolated_media_and_mail(settings, tmp_path):
    """Uploads and file-based emails of one test never leak into another, or into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
