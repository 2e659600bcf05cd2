"""deploy/healthcheck.py, the `web` container's health check: healthy with whatever ALLOWED_HOSTS production uses
(issue 13: probing http://127.0.0.1:8000/healthz got 400 DisallowedHost, so `web` was never healthy)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "healthcheck.py"


def probe(url: str, allowed_hosts: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ALLOWED_HOSTS": allowed_hosts}
    return subprocess.run([sys.executable, str(SCRIPT), url], env=env, capture_output=True, text=True, timeout=30)


@pytest.mark.django_db(transaction=True)
def test_it_is_healthy_with_the_production_allowed_hosts(live_server, settings):
    settings.ALLOWED_HOSTS = ["laboratori.example.it", ".ancilab.it"]
    for allowed in ("laboratori.example.it", ".ancilab.it,laboratori.example.it", " , laboratori.example.it"):
        result = probe(live_server.url, allowed)
        assert result.returncode == 0, result.stdout
        assert result.stdout.startswith('healthz: 200 {"status": "ok", "database": "ok", "cache": "ok"')


@pytest.mark.django_db(transaction=True)
def test_it_is_unhealthy_when_the_site_refuses_the_host(live_server, settings):
    settings.ALLOWED_HOSTS = ["laboratori.example.it"]
    result = probe(live_server.url, "altro.example.it")
    assert result.returncode == 1
    assert result.stdout.startswith("healthz: 400 ")


def test_it_is_unhealthy_when_nothing_answers():
    result = probe("http://127.0.0.1:1", "laboratori.example.it")
    assert result.returncode == 1
    assert result.stdout == "healthz: [Errno 111] Connection refused\n"
