"""A content version for cache keys: any save or delete of public content bumps it, so cached fragments built from
the old content are never read again (they expire on their own). Cheaper and safer than listing keys to delete.

A cache that is down must slow a page, never break it: every helper here swallows cache errors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
FRAGMENT_TIMEOUT = 24 * 3600


def content_version() -> int:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            version = 1
            cache.add(VERSION_KEY, version, timeout=None)
        return int(version)
    except Exception:
        logger.warning("cache unavailable while reading the content version", exc_info=True)
        return 0


def bump_content_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key expired or was never set
        try:
            cache.set(VERSION_KEY, 2, timeout=None)
        except Exception:
            logger.warning("cache unavailable while bumping the content version", exc_info=True)
    except Exception:
        logger.warning("cache unavailable while bumping the content version", exc_info=True)


def cached_fragment(name: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per content version and language; on a cache error build it every time."""
    version = content_version()
    key = f"fragment:{name}:{get_language() or 'it'}:{version}"
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, timeout=FRAGMENT_TIMEOUT)
        except Exception:
            logger.warning("cache unavailable while storing %s", key, exc_info=True)
    return value


def connect_content_signals() -> None:
    """Called from PortalConfig.ready(): every public content model bumps the version when it changes."""
    from labs.models import Lab, Meeting, Venue
    from projects.models import Area, FundingProgramme, Organization, Project, Service
    from publications.models import Article, Publication

    for model in (Lab, Meeting, Venue, Area, FundingProgramme, Organization, Project, Service, Article, Publication):
        uid = f"content-version-{model._meta.label}"
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-delete")
    for through in (Project.areas.through, Lab.areas.through, Publication.labs.through, Publication.areas.through):
        m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"content-version-{through._meta.label}")
