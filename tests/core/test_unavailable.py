"""A database that is unreachable answers 503 with Retry-After and an Italian message, never 500 — whether the error
comes from the view or from a middleware's response phase (the session being saved)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from projects import views as project_views

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


def test_a_database_error_while_saving_the_session_answers_503(client, monkeypatch):
    """The case make resilience met (PostgreSQL restarting): the view has answered, then the session middleware's
    save fails. Here the session holds a pending login (step 1 of the email-code login)."""

    def broken(self, must_create=False):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(SessionStore, "save", broken)
    client.raise_request_exception = False
    assert_unavailable_page(client.post(reverse("account_login"), {"login": "giulia.rossi@comune.example.it"}))
    # Sending the form again once the database is back works.
    monkeypatch.undo()
    response = client.post(reverse("account_login"), {"login": "giulia.rossi@comune.example.it"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))


def test_other_errors_are_still_500(client, monkeypatch):
    def broken(request):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(project_views, "_catalogue_filter", broken)
    client.raise_request_exception = False
    response = client.get(reverse("projects:list"), {"stato": "completed"})
    assert response.status_code == 500
    assert "Si è verificato un errore" in response.content.decode()
