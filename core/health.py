"""The probes behind /healthz (database, cache, broker), answered within HEALTHZ_TIMEOUT whatever is down.

One probe waiting on a dead dependency must not hold the answer: a stopped Redis used to keep /healthz busy 4.8 s
(redis-py's retries, then kombu's), past the container health check's own timeout. So the probes run side by side, each
in its own thread, and the answer waits HEALTHZ_TIMEOUT at most; a probe still running then is reported as "timeout"
and left to finish on its own connect timeout, its result dropped. A probe that fails in time is "down".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.db import connection

OK, DOWN, TIMEOUT, NOT_USED = "ok", "down", "timeout", "not used"


def probe_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return OK if cursor.fetchone() == (1,) else DOWN
    except Exception:  # noqa: BLE001 - a health check reports failures, it does not raise them
        return DOWN
    finally:
        connection.close()  # this probe thread's own connection (back to the pool, if there is one)


def probe_cache(cache) -> str:
    try:
        cache.set("healthz", "ok", timeout=5)
        return OK if cache.get("healthz") == "ok" else DOWN
    except Exception:  # noqa: BLE001
        return DOWN


def probe_broker() -> str:
    app = current_app  # the project's Celery app (ancilab_portal/celery.py); core does not import the project package
    if app.conf.broker_url.startswith("memory://"):
        return NOT_USED  # the embedded default runs tasks in-process: there is no broker to check
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=settings.HEALTHZ_TIMEOUT)
        return OK
    except Exception:  # noqa: BLE001
        return DOWN


def check(timeout: float | None = None) -> dict[str, str]:
    """Each dependency's state: "ok", "down", "timeout" (no answer within the deadline) or "not used"."""
    timeout = settings.HEALTHZ_TIMEOUT if timeout is None else timeout
    # The cache object is taken here: Django's cache handler is per thread, and a probe thread would open a new Redis
    # connection pool on every call.
    probes: dict[str, Callable[[], str]] = {
        "database": probe_database,
        "cache": lambda cache=caches["default"]: probe_cache(cache),
        "broker": probe_broker,
    }
    results: dict[str, str] = {}

    def run(name: str, probe: Callable[[], str]) -> None:
        results[name] = probe()

    threads = [
        threading.Thread(target=run, args=(name, probe), name=f"healthz-{name}", daemon=True)
        for name, probe in probes.items()
    ]
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, TIMEOUT) for name in probes}
