"""The PDF renderer reads static and media files from disk and nothing else."""

from __future__ import annotations

import base64

import pytest
from django.conf import settings

from documents.url_fetcher import PortalURLFetcher, RefusedURL

FONT = "vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2"


@pytest.fixture
def fetcher():
    return PortalURLFetcher()


def test_it_serves_a_static_file_from_the_finders(fetcher):
    response = fetcher.fetch(f"{settings.SITE_URL}/static/{FONT}")
    body = response.read()
    assert body[:4] == b"wOF2"
    assert response.content_type == "font/woff2"
    assert (
        body
        == (
            settings.BASE_DIR / "node_modules/bootstrap-italia/dist/fonts/Titillium_Web" / FONT.rsplit("/", 1)[1]
        ).read_bytes()
    )


def test_it_serves_a_media_file(fetcher, settings):
    (settings.MEDIA_ROOT / "labs").mkdir(parents=True)
    (settings.MEDIA_ROOT / "labs" / "copertina.png").write_bytes(b"\x89PNG fake")
    response = fetcher.fetch(f"{settings.SITE_URL}/media/labs/copertina.png")
    assert response.read() == b"\x89PNG fake"
    assert response.content_type == "image/png"


def test_it_serves_a_small_data_image(fetcher):
    payload = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    response = fetcher.fetch(f"data:image/svg+xml;base64,{payload}")
    assert response.read() == b"<svg xmlns='http://www.w3.org/2000/svg'/>"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://example.org/file.txt",
        "{site}/static/../../../../etc/passwd",
        "{site}/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "{site}/static/..%2f..%2f..%2fetc/passwd",
        "{site}/media/../ancilab_portal/settings.py",
        "{site}/media/%2e%2e/db.sqlite3",
        "{site}/static/vendor/bootstrap-italia/../../../../.env",
        "{site}/static/",
        "{site}/static/non-esiste.css",
        "{site}/laboratori/",
        "{site}/admin/",
        "http://127.0.0.1:9999/static/" + FONT,  # another port is another origin
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
def test_it_refuses_everything_else(fetcher, settings, url):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url.format(site=settings.SITE_URL))


def test_it_refuses_a_symlink_out_of_the_media_root(fetcher, settings, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("riservato")
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "link.txt").symlink_to(secret)
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{settings.SITE_URL}/media/link.txt")


def test_it_refuses_a_large_data_uri(fetcher):
    payload = base64.b64encode(b"\0" * (600 * 1024)).decode()
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"data:image/png;base64,{payload}")


def test_a_refused_image_is_left_out_of_the_pdf_without_any_network_access(monkeypatch):
    """End to end: WeasyPrint asks the fetcher, the fetcher refuses, the PDF is still produced."""
    import socket

    from weasyprint.urls import URLFetcher

    from documents.rendering import html_to_pdf

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF renderer tried to open a URL")

    # WeasyPrint's own fetcher (which would go to the network or the disk) and any socket are off limits.
    monkeypatch.setattr(URLFetcher, "fetch", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    pdf = html_to_pdf(
        '<html lang="it"><body><p>Testo</p><img src="http://example.org/x.png" alt="x"><img src="file:///etc/passwd"></body></html>'
    )
    assert pdf.startswith(b"%PDF-")
