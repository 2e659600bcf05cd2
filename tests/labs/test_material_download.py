"""Meeting material files are private until published: the download view applies the published rule (staff with the
view permission preview drafts), and /media/ serves only the public folders."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.urls import reverse

from core.visibility import PRIVATE_MEDIA_FOLDERS, PUBLIC_MEDIA_FOLDERS
from labs.models import MeetingMaterial
from tests.factories import LabFactory, MeetingFactory
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 60
# Uploads that only a view checking who asks may hand out.


def _material(*, published: bool, lab_published: bool = True, **fields) -> MeetingMaterial:
    meeting = MeetingFactory(lab=LabFactory(published=lab_published))
    fields.setdefault("file", SimpleUploadedFile("slide.pdf", PDF))
    return MeetingMaterial.objects.create(meeting=meeting, title="Slide della giornata", published=published, **fields)


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_published_material_downloads_with_its_type_name_and_headers(client, django_assert_num_queries):
    material = _material(published=True)
    assert material.href == f"/incontri/materiali/{material.pk}/"
    with django_assert_num_queries(1):
        response = client.get(material.href)
    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="slide-della-giornata.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"


def test_an_office_document_gets_its_own_content_type(client):
    material = _material(published=True, file=SimpleUploadedFile("esercizio.docx", DOCX))
    response = client.get(material.href)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="slide-della-giornata.docx"'


def test_an_unpublished_material_is_a_404_for_the_public_also_at_its_media_path(client):
    material = _material(published=False)
    assert client.get(material.href).status_code == 404
    assert material.file.url.startswith("/media/materiali/")
    assert client.get(material.file.url).status_code == 404


def test_a_published_material_of_a_draft_lab_is_a_draft(client):
    material = _material(published=True, lab_published=False)
    assert list(MeetingMaterial.objects.published()) == []
    assert client.get(material.href).status_code == 404


def test_no_material_file_is_served_by_media_even_when_published(client):
    """The only way to a material is the view: a withdrawn material must not stay reachable by its old address."""
    material = _material(published=True)
    assert client.get(material.file.url).status_code == 404


def test_staff_with_the_view_permission_preview_a_draft_never_cached(client, editor):
    material = _material(published=False, lab_published=False)
    client.force_login(editor)  # Redazione: view_meetingmaterial
    response = client.get(material.href)
    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_without_the_view_permission_get_a_404(client, secretary):
    material = _material(published=False)
    client.force_login(secretary)  # Segreteria iscrizioni: no permission on materials
    assert client.get(material.href).status_code == 404


def test_a_link_has_no_download_and_a_missing_file_is_a_404(client):
    link = MeetingMaterial.objects.create(
        meeting=MeetingFactory(), title="Video", kind="recording", url="https://video.example.org/1", published=True
    )
    assert link.href == "https://video.example.org/1"
    assert client.get(reverse("labs:material_download", kwargs={"pk": link.pk})).status_code == 404
    material = _material(published=True)
    default_storage.delete(material.file.name)
    assert client.get(material.href).status_code == 404


def test_the_meeting_page_links_to_the_download_view(client):
    material = _material(published=True)
    body = client.get(material.meeting.get_absolute_url()).content.decode()
    assert f'<a href="/incontri/materiali/{material.pk}/">Slide della giornata</a>' in body


def test_public_images_are_still_served_and_private_folders_are_not(client):
    default_storage.save("projects/copertina.png", ContentFile(b"\x89PNG fake image bytes"))
    default_storage.save("messaggi/2026/abc/allegato.pdf", ContentFile(PDF))
    default_storage.save("privato.pdf", ContentFile(PDF))
    response = client.get("/media/projects/copertina.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake image bytes"
    assert client.get("/media/messaggi/2026/abc/allegato.pdf").status_code == 404
    assert client.get("/media/privato.pdf").status_code == 404
    # Judged by where the path leads, not by how it starts.
    assert client.get("/media/projects/../messaggi/2026/abc/allegato.pdf").status_code == 404
    assert client.get("/media/projects/%2e%2e/messaggi/2026/abc/allegato.pdf").status_code == 404


def test_every_upload_folder_is_declared_public_or_private():
    """A new FileField must choose: listed in PUBLIC_MEDIA_FOLDERS (anyone may fetch it by URL) or private here."""
    folders = {
        field.upload_to.split("/", 1)[0]
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField) and not model.__name__.startswith("Historical")
    }
    assert folders == {"covers", "labs", "pdf", "projects", "publications", "materiali", "messaggi"}
    assert folders - PRIVATE_MEDIA_FOLDERS.keys() <= PUBLIC_MEDIA_FOLDERS
    assert not PRIVATE_MEDIA_FOLDERS.keys() & PUBLIC_MEDIA_FOLDERS


def test_a_draft_uploaded_through_the_admin_inline_is_private_until_published(admin_client, client):
    meeting = MeetingFactory(title="Primo incontro")
    url = reverse("admin:labs_meeting_change", args=[meeting.pk])
    data = form_data(
        admin_client.get(url).content.decode(),
        "meeting_form",
        **{
            "materials-TOTAL_FORMS": "1",
            "materials-0-title": "Slide della giornata",
            "materials-0-kind": "document",
            "materials-0-file": SimpleUploadedFile("slide.pdf", PDF, content_type="application/pdf"),
            "materials-0-position": "1",
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    material = MeetingMaterial.objects.get(meeting=meeting)
    assert material.file.name.startswith("materiali/")
    assert client.get(material.href).status_code == 404
    assert client.get(material.file.url).status_code == 404
    preview = admin_client.get(material.href)
    assert (preview.status_code, _body(preview)) == (200, PDF)
    material.published = True
    material.save()
    assert _body(client.get(material.href)) == PDF


def test_the_admins_file_links_open_for_staff_who_may_view_them_only(client, editor, secretary):
    """The admin shows "Attualmente: <a href=/media/materiali/…>": that link works for staff with the view permission
    on the file's model (never cached), and stays a 404 for anybody else."""
    material = _material(published=False)
    raw = material.file.url
    assert client.get(raw).status_code == 404
    client.force_login(secretary)  # no permission on materials
    assert client.get(raw).status_code == 404
    client.force_login(editor)  # Redazione: view_meetingmaterial
    response = client.get(raw)
    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    # The permission is the folder's: view_meetingmaterial opens no staff message attachment.
    default_storage.save("messaggi/2026/abc/allegato.pdf", ContentFile(PDF))
    assert client.get("/media/messaggi/2026/abc/allegato.pdf").status_code == 404
