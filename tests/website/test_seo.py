"""What search engines and link previews read in <head>: canonical and hreflang alternates (absolute, from SITE_URL,
with x-default), Open Graph and Twitter card tags, the favicon set and the web manifest."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import LabFactory, ProjectFactory

pytestmark = pytest.mark.django_db

SITE = "https://laboratori.example.it"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    # A client may send any Host among the allowed ones: none of the links below may depend on it.
    settings.ALLOWED_HOSTS = ["testserver", "altro.example.org"]


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#0066cc").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _get(client, url: str) -> str:
    return client.get(url, headers={"host": "altro.example.org"}).content.decode()


def test_lab_page_has_canonical_hreflang_and_sharing_tags_with_its_cover(client):
    LabFactory(
        slug="beni",
        title="Beni culturali",
        title_en="Cultural heritage",
        subtitle="Valorizzare il patrimonio",
        cover_image=_png("beni.png"),
        cover_alt="Una piazza lombarda",
    )
    html = _get(client, "/laboratori/beni/")
    assert '<link rel="canonical" href="https://laboratori.example.it/laboratori/beni/">' in html
    assert '<link rel="alternate" hreflang="it" href="https://laboratori.example.it/laboratori/beni/">' in html
    assert '<link rel="alternate" hreflang="en" href="https://laboratori.example.it/en/laboratori/beni/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="https://laboratori.example.it/laboratori/beni/">' in html
    assert '<meta property="og:title" content="Beni culturali">' in html
    assert '<meta property="og:description" content="Valorizzare il patrimonio">' in html
    assert '<meta property="og:url" content="https://laboratori.example.it/laboratori/beni/">' in html
    assert '<meta property="og:locale" content="it_IT">' in html
    assert '<meta property="og:image" content="https://laboratori.example.it/media/labs/beni.png">' in html
    assert '<meta property="og:image:alt" content="Una piazza lombarda">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="twitter:title" content="Beni culturali">' in html
    assert "altro.example.org" not in html

    html_en = _get(client, "/en/laboratori/beni/")
    assert '<link rel="canonical" href="https://laboratori.example.it/en/laboratori/beni/">' in html_en
    assert (
        '<link rel="alternate" hreflang="x-default" href="https://laboratori.example.it/laboratori/beni/">' in html_en
    )
    assert '<meta property="og:title" content="Cultural heritage">' in html_en
    assert '<meta property="og:locale" content="en_GB">' in html_en


def test_project_without_image_shares_the_site_default_image(client):
    project = ProjectFactory(title="Comuni in rete", summary="Servizi digitali condivisi tra Comuni.")
    html = _get(client, project.get_absolute_url())
    canonical = f"https://laboratori.example.it{project.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:title" content="Comuni in rete">' in html
    assert '<meta property="og:description" content="Servizi digitali condivisi tra Comuni.">' in html
    assert '<meta property="og:image" content="https://laboratori.example.it/static/img/og-default.png">' in html
    assert '<meta property="og:image:width" content="1200">' in html


def test_project_with_image_shares_it(client):
    project = ProjectFactory(title="Comuni in rete", image=_png("rete.png"), image_alt="Una mappa")
    html = _get(client, project.get_absolute_url())
    assert '<meta property="og:image" content="https://laboratori.example.it/media/projects/rete.png">' in html
    assert '<meta name="twitter:image:alt" content="Una mappa">' in html


def test_home_page_head(client):
    html = _get(client, reverse("home"))
    assert '<link rel="canonical" href="https://laboratori.example.it/">' in html
    assert '<link rel="alternate" hreflang="en" href="https://laboratori.example.it/en/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="https://laboratori.example.it/">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:title" content="AnciLab · ANCI Lombardia">' in html
    assert (
        '<meta property="og:description" content="Laboratori, progetti e servizi di AnciLab per i Comuni lombardi.">'
        in html
    )
    assert '<link rel="icon" href="/favicon.ico" sizes="48x48">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html
    assert '<link rel="manifest" href="/site.webmanifest">' in html


def test_not_found_page_has_no_canonical(client, settings):
    settings.DEBUG = False
    html = _get(client, "/pagina-che-non-esiste/")
    assert 'rel="canonical"' not in html
    assert 'hreflang="x-default"' not in html


def test_favicon_ico_and_web_manifest(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert Image.open(io.BytesIO(response.content)).format == "ICO"
    assert response["Cache-Control"] == "public, max-age=86400"

    response = client.get("/site.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "AnciLab · ANCI Lombardia"
    assert manifest["start_url"] == "/"
    assert [icon["src"] for icon in manifest["icons"]] == [
        "/static/img/icon-192.png",
        "/static/img/icon-512.png",
        "/static/img/favicon.svg",
    ]
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
    png = Image.open(finders.find("img/icon-512.png"))
    assert png.size == (512, 512)
