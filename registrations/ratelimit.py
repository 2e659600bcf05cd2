"""Fixed-window rate limits in the Django cache, for the public registration form.

Limits come from settings ("20/h"; "", "0" or "off" disables them, which the load test uses). The cache is Redis in
production: if it is unreachable the limiter lets the request through (fail open) rather than refusing to register
people because of a cache outage; the meeting lock and the unique email rule still protect the data.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse(rate: str) -> tuple[int, int] | None:
    """ "20/h" -> (20, 3600); None when disabled."""
    rate = (rate or "").strip().lower()
    if rate in ("", "0", "off", "none"):
        return None
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1] or "h"]


def hit(scope: str, key: str, rate: str) -> bool:
    """Count one request for (scope, key); True if it is over the limit."""
    parsed = parse(rate)
    if parsed is None:
        return False
    limit, period = parsed
    window = int(time.time() // period)
    digest = hashlib.sha256(key.lower().encode()).hexdigest()[:32]  # no raw email addresses or IPs in cache keys
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    try:
        # The first request of a window creates the key at 1 (one round trip, the usual case for an address); later
        # ones increment it (Django's Redis incr is EXISTS + INCR). add() is atomic: of two first requests, one adds
        # and the other increments.
        count = 1 if cache.add(cache_key, 1, timeout=period + 5) else cache.incr(cache_key)
    except Exception:
        logger.warning("ratelimit: cache unavailable, %s not limited", scope, exc_info=True)
        return False
    return count > limit
