"""PDFs in the Django cache (Redis in production) under a key made of everything the document depends on.

A key changes when the content changes (an ``updated_at`` moves, a row is added or removed), when the language changes,
and when the layout changes (``LAYOUT_VERSION``), so nothing ever has to be invalidated by hand; a TTL bounds what a
key cannot see (a venue's address or a partner's name, which have no timestamp).

For public documents only (lab programme, catalogue): the staff documents print personal data and are never cached
(documents.py says why).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Bump when a template or the print CSS changes in a way that must reach already cached PDFs.
LAYOUT_VERSION = 1
CACHE_TTL = 6 * 60 * 60


def make_key(kind: str, *parts: object) -> str:
    raw = "|".join(str(part) for part in (LAYOUT_VERSION, get_language() or "it", settings.SITE_URL, *parts))
    return f"pdf:{kind}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def digest(values: Iterable[object]) -> str:
    return hashlib.sha256(",".join(str(v) for v in values).encode()).hexdigest()[:16]


def get(key: str) -> bytes | None:
    """The cached PDF for ``key``, or None (not cached, or the cache is down)."""
    try:
        return cache.get(key)
    except Exception:
        logger.warning("PDF cache unavailable, %s not read", key, exc_info=True)
        return None


def cached_pdf(key: str, build: Callable[[], bytes]) -> bytes:
    """The cached PDF for ``key``, or ``build()`` stored under it. A cache that is down costs a render, not an error."""
    try:
        pdf = cache.get(key)
    except Exception:  # any cache failure (Redis down, timeout) falls back to rendering
        logger.warning("PDF cache unavailable, rendering %s", key, exc_info=True)
        pdf = None
    if pdf is not None:
        return pdf
    pdf = build()
    try:
        cache.set(key, pdf, CACHE_TTL)
    except Exception:
        logger.warning("PDF cache unavailable, %s not stored", key, exc_info=True)
    return pdf
