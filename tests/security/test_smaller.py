"""Finding 7: staff sessions, the lockout page, decompression bombs, download counting, HSTS opt-in."""

from __future__ import annotations

import datetime
import struct
import zlib

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from projects.models import Project
from publications.models import Publication
from tests.factories import PublicationFactory
from tests.website.test_deploy_check import manage, production_env

pytestmark = pytest.mark.django_db


# --- Staff sessions -----------------------------------------------------------------------------------------------------
def test_a_staff_session_ends_at_browser_close(admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200
    assert admin_client.session.get_expire_at_browser_close() is True


def test_a_staff_session_ends_after_the_idle_time(admin_client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    start = timezone.now()
    with freeze_time(start):
        assert admin_client.get(reverse("admin:index")).status_code == 200
    with freeze_time(start + datetime.timedelta(minutes=20)):
        assert admin_client.get(reverse("admin:index")).status_code == 200  # activity keeps it alive
    with freeze_time(start + datetime.timedelta(minutes=51)):
        response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "_auth_user_id" not in admin_client.session


def test_a_participant_session_is_not_shortened(client, django_user_model):
    user = django_user_model.objects.create_user("giulia", "giulia@comune.example.it")
    client.force_login(user)
    client.get(reverse("registrations:mine"))
    assert client.session.get_expire_at_browser_close() is False


# --- Lockout page -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prefix", "title"),
    [("", "Troppi tentativi di accesso"), ("/en", "Too many sign-in attempts")],
)
def test_the_lockout_page_is_the_portals_in_the_visitors_language(prefix, title, settings):
    AccessAttempt.objects.create(
        ip_address="127.0.0.1",
        username="capo@ancilab.example.it",
        user_agent="",
        http_accept="",
        path_info="/account/login/",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
    )
    response = Client().post(f"{prefix}/account/login/", {"login": "capo@ancilab.example.it"})
    html = response.content.decode()
    assert response.status_code == 429
    assert f"<h1>{title}</h1>" in html
    assert 'class="it-header-wrapper"' in html


# --- Decompression bomb ------------------------------------------------------------------------------------------------
def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares width x height pixels but holds (almost) no data: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_as_too_large_before_decoding():
    form_class = modelform_factory(Project, fields=["image"])
    upload = SimpleUploadedFile("bomba.png", _png_header(50000, 50000), content_type="image/png")
    form = form_class(data={}, files={"image": upload})
    assert not form.is_valid()
    # Pillow's own limit stops a 2.5-gigapixel header inside Image.open: refused as too large, never as "damaged".
    assert form.errors["image"] == ["L'immagine ha troppi pixel e non può essere accettata."]


def test_an_image_over_the_portal_limit_is_refused_with_its_size(settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    form_class = modelform_factory(Project, fields=["image"])
    upload = SimpleUploadedFile("grande.png", _png_header(200, 100), content_type="image/png")
    form = form_class(data={}, files={"image": upload})
    assert not form.is_valid()
    assert form.errors["image"] == ["L'immagine ha troppi pixel (200×100); il massimo è 10000 pixel."]


# --- Downloads ------------------------------------------------------------------------------------------------------------
def test_a_download_counts_once_per_visitor_per_day(settings):
    publication = PublicationFactory(external_url="https://example.org/libro.pdf", published=True)
    url = reverse("publications:download", args=[publication.slug])
    reader, crawler = Client(REMOTE_ADDR="203.0.113.5"), Client(REMOTE_ADDR="203.0.113.6")
    for _ in range(3):
        assert reader.get(url)["Location"] == "https://example.org/libro.pdf"
    crawler.get(url)
    assert Publication.objects.get(pk=publication.pk).download_count == 2
    with freeze_time(timezone.now() + datetime.timedelta(days=1)):
        reader.get(url)
    assert Publication.objects.get(pk=publication.pk).download_count == 3


# --- HSTS -------------------------------------------------------------------------------------------------------------------
def _hsts(env) -> list[str]:
    script = "from django.conf import settings as s; print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    result = manage(env, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_hsts_preload_and_subdomains_are_opt_in(tmp_path):
    assert _hsts(production_env(tmp_path)) == ["False", "False"]
    opted_in = production_env(tmp_path, SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    assert _hsts(opted_in) == ["True", "True"]
