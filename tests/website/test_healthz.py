"""/healthz: JSON with each dependency's state, 503 when one is down or silent, within HEALTHZ_TIMEOUT."""

from __future__ import annotations

import socket
import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


def test_it_reports_ok_when_everything_is_up(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["broker"] in {"ok", "not used"}


def test_it_answers_503_when_the_cache_is_down(client, settings):
    # Changing CACHES through the settings fixture rebuilds Django's cache handler (setting_changed signal).
    settings.CACHES = {
        **settings.CACHES,  # the per-process tier ("local") stays
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "cache": "down",
        "broker": response.json()["broker"],
    }


def test_it_answers_503_when_the_broker_is_down(client, monkeypatch):
    from ancilab_portal.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_it_answers_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    # On the class: the probe runs in its own thread, with that thread's own connection object.
    monkeypatch.setattr(type(connections["default"]), "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


# --- Bounded answer time (issue 13: a stopped Redis held /healthz 4.8 s, past the container health check's timeout) ---
@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers: a hung dependency, the worst case for a health check."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


def redis_cache_at(port: int) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        # The production cache timeouts (ancilab_portal/settings.py).
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5},
    }


def test_the_deadline_is_under_the_two_seconds_the_container_health_check_allows(settings):
    assert settings.HEALTHZ_TIMEOUT == 1.0


def test_it_answers_within_two_seconds_when_the_broker_never_answers(client, monkeypatch, silent_port):
    """The broker probe alone needs 2 s to give up on a silent Redis (kombu's socket timeout): the answer does not."""
    from ancilab_portal.celery import app

    monkeypatch.setattr(app.conf, "broker_url", f"redis://127.0.0.1:{silent_port}/0")
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "ok", "broker": "timeout"}
    assert elapsed < 2.0


def test_a_silent_cache_is_reported_as_timeout_at_the_deadline(client, settings, monkeypatch, silent_port):
    from ancilab_portal.celery import app

    settings.HEALTHZ_TIMEOUT = 0.3  # shorter than the cache's 0.5 s socket timeout: the probe cannot answer in time
    settings.CACHES = {**settings.CACHES, "default": redis_cache_at(silent_port)}
    monkeypatch.setattr(app.conf, "broker_url", f"redis://127.0.0.1:{silent_port}/0")
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "timeout", "broker": "timeout"}
    assert elapsed < 2.0


def test_a_refused_connection_is_reported_as_down(client, settings, monkeypatch):
    from ancilab_portal.celery import app

    settings.HEALTHZ_TIMEOUT = 10.0  # room for redis-py's retries: the outcome, not the clock, is under test here
    settings.CACHES = {**settings.CACHES, "default": redis_cache_at(1)}
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "down", "broker": "down"}
