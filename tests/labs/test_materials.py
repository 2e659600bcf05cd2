"""Meeting materials and recordings: what a file must be, the inline on the meeting admin, the meeting page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from labs import models as labs_models
from labs.models import MeetingMaterial
from tests.factories import MeetingFactory
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 60


def _material(meeting, **fields) -> MeetingMaterial:
    return MeetingMaterial(meeting=meeting, title="Slide", **fields)


def _errors(material: MeetingMaterial) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        material.full_clean()
    return info.value.message_dict


def test_a_pdf_and_an_office_document_are_accepted():
    meeting = MeetingFactory()
    _material(meeting, file=SimpleUploadedFile("slide.pdf", PDF)).full_clean()
    _material(meeting, file=SimpleUploadedFile("esercizio.docx", DOCX)).full_clean()


def test_a_file_whose_content_is_not_its_extension_is_refused():
    errors = _errors(_material(MeetingFactory(), file=SimpleUploadedFile("slide.pdf", b"<html>ciao</html>")))
    assert errors == {"file": ["Il contenuto del file non corrisponde alla sua estensione."]}


def test_an_extension_outside_the_list_is_refused():
    errors = _errors(_material(MeetingFactory(), file=SimpleUploadedFile("virus.exe", b"MZ\x90\x00")))
    assert errors == {"file": ["Formato «exe» non ammesso: carica un file pdf, docx, xlsx, pptx, odt, ods, odp."]}


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(labs_models, "MATERIAL_MAX_BYTES", 10)
    errors = _errors(_material(MeetingFactory(), file=SimpleUploadedFile("slide.pdf", PDF)))
    assert errors == {"file": ["Il file è troppo grande (51\xa0bytes); il massimo è 10\xa0bytes."]}


def test_a_document_needs_a_file_and_a_recording_needs_a_link():
    meeting = MeetingFactory()
    assert _errors(_material(meeting)) == {"file": ["Un documento richiede un file."]}
    recording = _material(meeting, kind=MeetingMaterial.Kind.RECORDING)
    assert _errors(recording) == {"url": ["Una registrazione o un link richiede l'indirizzo."]}
    both = _material(meeting, kind=MeetingMaterial.Kind.RECORDING, url="https://video.example.org/1")
    both.file = SimpleUploadedFile("slide.pdf", PDF)
    assert _errors(both) == {"file": ["Una registrazione o un link non ha un file: usa il campo link."]}


def test_the_meeting_admin_inline_adds_a_material(admin_client):
    meeting = MeetingFactory(title="Primo incontro")
    url = reverse("admin:labs_meeting_change", args=[meeting.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="materials-TOTAL_FORMS"' in page
    data = form_data(
        page,
        "meeting_form",
        **{
            "materials-TOTAL_FORMS": "2",
            "materials-0-title": "Slide della giornata",
            "materials-0-kind": "document",
            "materials-0-file": SimpleUploadedFile("slide.pdf", PDF, content_type="application/pdf"),
            "materials-0-position": "1",
            "materials-1-title": "Registrazione",
            "materials-1-kind": "recording",
            "materials-1-url": "https://video.example.org/incontro-1",
            "materials-1-published": "on",
            "materials-1-position": "2",
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    rows = list(MeetingMaterial.objects.filter(meeting=meeting).values_list("title", "kind", "url", "published"))
    assert rows == [
        ("Slide della giornata", "document", "", False),
        ("Registrazione", "recording", "https://video.example.org/incontro-1", True),
    ]
    stored = MeetingMaterial.objects.get(title="Slide della giornata").file
    assert stored.name.startswith("materiali/") and stored.name.endswith(".pdf")
    assert stored.read() == PDF


def test_the_meeting_page_shows_only_published_materials(client):
    meeting = MeetingFactory()
    MeetingMaterial.objects.create(
        meeting=meeting, title="Slide", title_en="Slides", file=SimpleUploadedFile("slide.pdf", PDF), published=True
    )
    MeetingMaterial.objects.create(
        meeting=meeting, title="Registrazione", kind="recording", url="https://video.example.org/1", published=True
    )
    MeetingMaterial.objects.create(meeting=meeting, title="Bozza riservata", url="https://example.org/x", kind="link")
    body = client.get(meeting.get_absolute_url()).content.decode()
    assert '<h2 class="h4" id="materials-heading">Materiali e registrazioni</h2>' in body
    assert '>Slide</a> <span class="text-muted">(documento, PDF)</span>' in body
    assert (
        '<a href="https://video.example.org/1" rel="noopener">Registrazione</a> '
        '<span class="text-muted">(registrazione)</span>' in body
    )
    assert "Bozza riservata" not in body
    english = client.get(f"/en{meeting.get_absolute_url()}").content.decode()
    assert ">Slides</a>" in english


def test_no_section_without_published_materials(client):
    meeting = MeetingFactory()
    MeetingMaterial.objects.create(meeting=meeting, title="Bozza", url="https://example.org/x", kind="link")
    assert "Materiali e registrazioni" not in client.get(meeting.get_absolute_url()).content.decode()
