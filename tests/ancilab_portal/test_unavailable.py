"""A database that is unreachable answers 503 with Retry-After and an Italian message, never 500 — whether the error
comes from the view or from a middleware's response phase (the session being saved)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from projects import views as project_views
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "<h1>Servizio momentaneamente non disponibile</h1>" in html
    assert "Riprova tra qualche secondo. Se stavi inviando un modulo, invialo di nuovo." in html
    assert "<script" not in html and "<style" not in html


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_error_in_the_view_answers_503(client, monkeypatch, error):
    def broken(request):
        raise error("terminating connection due to administrator command")

    monkeypatch.setattr(project_views, "_catalogue_filter", broken)
    client.raise_request_exception = False
    assert_unavailable_page(client.get(reverse("projects:list"), {"stato": "ongoing", "ordina": "title"}))


def test_a_database_error_while_saving_the_session_answers_503(client, monkeypatch, settings):
    """The case make resilience met: the registration is committed, then saving the session fails."""
    settings.REGISTRATION_RATE_LIMIT_IP = "off"
    settings.REGISTRATION_RATE_LIMIT_EMAIL = "off"

    def broken(self, must_create=False):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(SessionStore, "save", broken)
    client.raise_request_exception = False
    meeting = MeetingFactory(capacity=10)
    data = {
        "first_name": "Giulia",
        "last_name": "Rossi",
        "email": "giulia.rossi@comune.example.it",
        "organization": "Comune di Bergamo",
        "organization_type": "comune",
        "privacy": "on",
    }
    assert_unavailable_page(client.post(reverse("registrations:register", kwargs={"pk": meeting.pk}), data))
    # Sending the form again is safe: the person is recognised, not registered twice.
    monkeypatch.undo()
    client.post(reverse("registrations:register", kwargs={"pk": meeting.pk}), data)
    assert meeting.registrations.count() == 1


def test_other_errors_are_still_500(client, monkeypatch):
    def broken(request):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(project_views, "_catalogue_filter", broken)
    client.raise_request_exception = False
    response = client.get(reverse("projects:list"), {"stato": "completed"})
    assert response.status_code == 500
    assert "Si è verificato un errore" in response.content.decode()
