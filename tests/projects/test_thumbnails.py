"""Responsive thumbnails: made once with Pillow under MEDIA_ROOT/thumbs/, JPEG and WebP, alt text from the model."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image

from projects import thumbnails as thumbs_module

pytestmark = pytest.mark.django_db


def _png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 102, 204, 128)).save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def project_with_image(settings):
    from tests.factories import ProjectFactory

    project = ProjectFactory(slug="con-foto", image_alt="Sindaci al tavolo di lavoro")
    project.image.save("foto.png", _png(1200, 600))
    return project


def _render(project) -> str:
    return Template('{% load catalogue %}{% responsive_image p.image p.image_alt "320,640,2000" "50vw" %}').render(
        Context({"p": project})
    )


def test_picture_has_webp_and_jpeg_sources_sizes_and_alt(project_with_image, settings):
    html = _render(project_with_image)
    assert html.startswith('<picture><source type="image/webp" srcset="/media/thumbs/')
    assert 'alt="Sindaci al tavolo di lavoro"' in html
    assert 'width="1200" height="600"' in html  # 2000 is wider than the original: no upscaling
    assert 'loading="lazy"' in html
    files = sorted(p.name.split("-", 1)[1] for p in (settings.MEDIA_ROOT / "thumbs").iterdir())
    assert files == ["1200.jpg", "1200.webp", "320.jpg", "320.webp", "640.jpg", "640.webp"]
    with Image.open(next((settings.MEDIA_ROOT / "thumbs").glob("*-320.jpg"))) as image:
        assert (image.format, image.size, image.mode) == ("JPEG", (320, 160), "RGB")


def test_thumbnails_are_made_once(project_with_image, monkeypatch):
    first = _render(project_with_image)
    calls = []
    monkeypatch.setattr(thumbs_module, "_render", lambda *args: calls.append(args))
    assert _render(project_with_image) == first
    assert calls == []


def test_a_missing_file_renders_nothing_instead_of_failing(project_with_image, settings):
    (settings.MEDIA_ROOT / project_with_image.image.name).unlink()
    assert _render(project_with_image) == ""


def test_no_image_renders_nothing(db):
    from tests.factories import ProjectFactory

    assert _render(ProjectFactory()) == ""


def test_project_page_shows_the_picture(client, project_with_image):
    html = client.get(project_with_image.get_absolute_url()).content.decode()
    assert "<picture>" in html and 'alt="Sindaci al tavolo di lavoro"' in html
