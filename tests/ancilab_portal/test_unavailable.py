"""A database that is unreachable answers 503 with Retry-After and an Italian message, never 500."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from projects import views as project_views

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_errors_answer_503(client, monkeypatch, error):
    def broken(request):
        raise error("terminating connection due to administrator command")

    monkeypatch.setattr(project_views, "_catalogue_filter", broken)
    client.raise_request_exception = False
    response = client.get(reverse("projects:list"), {"stato": "ongoing", "ordina": "title"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "<h1>Servizio momentaneamente non disponibile</h1>" in html
    assert "Se stavi inviando un modulo, invialo di nuovo: non è stato registrato." in html
    assert "<script" not in html and "<style" not in html


def test_other_errors_are_still_500(client, monkeypatch):
    def broken(request):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(project_views, "_catalogue_filter", broken)
    client.raise_request_exception = False
    response = client.get(reverse("projects:list"), {"stato": "completed"})
    assert response.status_code == 500
