"""Cache-Control and compression of the portal's pages (website/middleware.py)."""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse

from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


def _html(response) -> str:
    return gzip.decompress(response.content).decode()


def test_public_page_is_public_for_a_minute_and_gzipped(client):
    lab = LabFactory(title="Beni culturali")
    for _ in range(2):  # rendered, then served by the page cache: same headers
        response = client.get(lab.get_absolute_url(), headers=GZIP)
        assert response["Cache-Control"] == "public, max-age=60"
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert "<h1" in _html(response) and "Beni culturali" in _html(response)
        assert int(response["Content-Length"]) == len(response.content)


def test_without_accept_encoding_the_page_is_plain(client):
    response = client.get(reverse("home"))
    assert response["Cache-Control"] == "public, max-age=60"
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!doctype html>")


def test_registration_form_is_private_revalidated_and_gzipped(client):
    meeting = MeetingFactory()
    response = client.get(reverse("registrations:register", kwargs={"pk": meeting.pk}), headers=GZIP)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert response["Content-Encoding"] == "gzip"
    assert 'name="csrfmiddlewaretoken"' in _html(response)


def test_registration_manage_page_is_never_stored_nor_compressed(client):
    registration = RegistrationFactory()
    response = client.get(registration.get_absolute_url(), headers=GZIP)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("Content-Encoding")
    assert registration.first_name in response.content.decode()


def test_signed_in_person_gets_public_pages_as_personal(client, django_user_model):
    user = django_user_model.objects.create_user("persona", "persona@comune.example.it", "x-password-lunga-1")
    client.force_login(user)
    for url in (reverse("home"), reverse("registrations:mine")):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert not response.has_header("Content-Encoding"), url


def test_views_that_choose_their_own_cache_control_keep_it(client):
    response = client.get(reverse("healthz"), headers=GZIP)
    assert "no-store" in response["Cache-Control"]
    assert client.get("/favicon.ico")["Cache-Control"] == "public, max-age=86400"


def test_sitemap_and_feeds_are_compressed(client):
    LabFactory()
    for url in ("/sitemap.xml", reverse("labs:feed")):
        response = client.get(url, headers=GZIP)
        assert response["Content-Encoding"] == "gzip", url
        assert gzip.decompress(response.content).startswith(b"<?xml"), url
