"""The admin of PDF exports: the list with progress and link, and the request form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import PdfExport

pytestmark = pytest.mark.django_db


def test_the_list_shows_progress_and_a_link_when_ready(admin_client, settings):
    PdfExport.objects.create(cache_key="a", status=PdfExport.Status.RUNNING, progress=40)
    ready = PdfExport.objects.create(
        cache_key="b", status=PdfExport.Status.READY, progress=100, file="pdf/catalogo.pdf"
    )
    page = admin_client.get(reverse("admin:documents_pdfexport_changelist")).content.decode()
    assert '<progress max="100" value="40">40%</progress> 40%' in page
    assert f'<a href="{ready.file.url}">Scarica il PDF</a>' in page


def test_staff_request_a_filtered_catalogue(admin_client, django_capture_on_commit_callbacks):
    url = reverse("admin:documents_pdfexport_add")
    form = admin_client.get(url)
    assert form.status_code == 200
    assert "Richiedi il catalogo dei progetti in PDF" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(url, {"stato": "ongoing"})
    assert response.status_code == 302
    export = PdfExport.objects.get()
    assert export.params == {"stato": "ongoing"}
    assert export.status == PdfExport.Status.PENDING
    assert export.created_by.username == "admin"
    assert len(callbacks) == 1


def test_invalid_filters_show_the_form_again(admin_client):
    response = admin_client.post(reverse("admin:documents_pdfexport_add"), {"anno": "abc"})
    assert response.status_code == 200
    assert "Correggi i filtri indicati." in response.content.decode()
    assert not PdfExport.objects.exists()
