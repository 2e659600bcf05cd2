"""The public verification of certificates (/attestati/…) and the participant's certificate links."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.urls import reverse

from registrations.certificates import certificate_issue
from tests.support.certificates import lab_with_attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return lab_with_attendance()


@pytest.fixture
def certificate(scene):
    return certificate_issue(registration_id=scene.giulia.pk, kind="lab")


def test_a_valid_code_shows_who_attended_what_and_for_how_long_but_not_the_email(client, certificate):
    response = client.get(reverse("registrations:certificate_detail", kwargs={"code": certificate.code}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Attestato valido" in body
    assert f"<strong>{certificate.display_code}</strong>" in body
    assert '<dd class="col-sm-8">Giulia Ferrari</dd>' in body
    assert "Welfare di comunità" in body
    assert '<dd class="col-sm-8">2 su 4 svolti</dd>' in body
    assert '<dd class="col-sm-8">5,5 ore su 8,5 ore previste</dd>' in body
    assert "giulia@como.example.it" not in body and "Comune di Como" not in body
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex">' in body


def test_a_meeting_certificate_names_the_meeting(client, scene):
    certificate = certificate_issue(registration_id=scene.marco.pk, kind="meeting")
    body = client.get(certificate.get_absolute_url()).content.decode()
    assert "Marco Bruni" in body and "Primo incontro" in body
    assert '<dd class="col-sm-8">4 ore</dd>' in body


def test_the_form_sends_a_code_typed_by_hand_to_its_page(client, certificate):
    typed = f" {certificate.display_code.lower()} "
    response = client.get(reverse("registrations:certificate_verify"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/attestati/{certificate.code}/"
    # A hyphenated code in the address bar is redirected to the canonical one.
    response = client.get(f"/attestati/{certificate.display_code}/")
    assert response.status_code == 302 and response["Location"] == f"/attestati/{certificate.code}/"


def test_the_empty_form_and_a_malformed_code(client):
    response = client.get(reverse("registrations:certificate_verify"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode() and response["X-Robots-Tag"] == "noindex"
    response = client.get(reverse("registrations:certificate_verify"), {"code": "ABC"})
    assert response.status_code == 200
    assert "Il codice è di 10 caratteri, lettere e cifre." in response.content.decode()


def test_an_unknown_code_is_a_404_with_the_form_again(client, certificate):
    unknown = "AAAAAAAAAA" if certificate.code != "AAAAAAAAAA" else "BBBBBBBBBB"
    response = client.get(f"/attestati/{unknown}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert f"Nessun attestato ha il codice {unknown}." in body
    assert 'name="code"' in body


def test_the_honeypot_stops_a_bot(client, certificate):
    response = client.get(reverse("registrations:certificate_verify"), {"code": certificate.code, "website": "x"})
    assert response.status_code == 200
    assert "Non è stato possibile inviare il modulo. Riprova." in response.content.decode()


def test_lookups_are_rate_limited_per_client(client, settings, certificate):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = "3/h"
    statuses = [
        client.get(f"/attestati/{code}/").status_code for code in ["AAAAAAAAAA", "BBBBBBBBBB", certificate.code]
    ]
    assert statuses == [404, 404, 200]
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Sono arrivate troppe richieste di verifica dalla tua rete." in response.content.decode()
    assert "Giulia" not in response.content.decode()


# --- Links for the participant ----------------------------------------------------------------------------------------
def test_the_manage_page_links_the_certificates_of_an_attended_registration(client, scene):
    body = client.get(scene.giulia.get_absolute_url()).content.decode()
    assert f'href="/iscrizioni/{scene.giulia.token}/attestato.pdf">Attestato di partecipazione (PDF)</a>' in body
    assert f'href="/iscrizioni/{scene.giulia.token}/attestato-laboratorio.pdf">' in body
    # Not for a registration without attendance.
    body = client.get(scene.anna.get_absolute_url()).content.decode()
    assert "attestato" not in body.lower()


def test_le_mie_iscrizioni_links_the_certificates(client, scene):
    user = User.objects.create_user("giulia", "giulia@como.example.it")
    EmailAddress.objects.create(user=user, email="giulia@como.example.it", verified=True, primary=True)
    client.force_login(user)
    body = client.get(reverse("registrations:mine")).content.decode()
    for registration in (scene.giulia, scene.giulia_second):
        assert f'href="/iscrizioni/{registration.token}/attestato.pdf">Attestato<span' in body
    third = scene.third.registrations.get()
    assert f"/iscrizioni/{third.token}/attestato" not in body


def test_the_verification_page_costs_one_query(client, certificate, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(certificate.get_absolute_url()).status_code == 200
