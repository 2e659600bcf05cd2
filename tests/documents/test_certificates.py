"""The certificate PDFs: what they print (the verification code and URL), for staff and for the participant's token."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from registrations.models import Certificate
from tests.support.certificates import lab_with_attendance

from .helpers import response_pdf

pytestmark = pytest.mark.django_db
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def pdftotext(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "attestato.pdf"
    source.write_bytes(pdf)
    return subprocess.run([PDFTOTEXT, "-layout", str(source), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def scene(settings):
    settings.SITE_URL = "https://laboratori.example.it"
    return lab_with_attendance()


def test_the_lab_certificate_prints_its_code_url_and_hours(client, scene, tmp_path):
    response = client.get(reverse("pdf:participant_lab_certificate", kwargs={"token": scene.giulia.token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store" and response["X-Robots-Tag"] == "noindex"
    certificate = Certificate.objects.get()
    assert certificate.kind == "lab"
    text = " ".join(pdftotext(response_pdf(response), tmp_path).split())
    assert f"Codice di verifica: {certificate.display_code}" in text
    assert f"https://laboratori.example.it/attestati/{certificate.code}/" in text
    assert "Giulia Ferrari" in text and "ha partecipato al laboratorio Welfare di comunità" in text
    assert "Incontri frequentati: 2 su 4 svolti. Ore di presenza: 5,5 ore su 8,5 ore previste." in text
    assert "Terzo incontro" not in text
    assert response["Content-Disposition"] == 'inline; filename="attestato-giulia-ferrari-welfare-di-comunita.pdf"'


def test_the_meeting_certificate_names_the_meeting_and_keeps_its_code(client, scene, tmp_path):
    url = reverse("pdf:participant_meeting_certificate", kwargs={"token": scene.marco.token})
    first = client.get(url)
    assert first.status_code == 200
    certificate = Certificate.objects.get()
    text = " ".join(pdftotext(response_pdf(first), tmp_path).split())
    assert "ha partecipato all'incontro Primo incontro del laboratorio «Welfare di comunità»" in text
    assert "Totale 4 ore" in text
    assert f"Codice di verifica: {certificate.display_code}" in text
    # Downloaded again: the same certificate, not a new one.
    assert client.get(url).status_code == 200
    assert Certificate.objects.count() == 1


def test_no_certificate_for_a_participant_not_marked_present(client, scene):
    for name in ("pdf:participant_meeting_certificate", "pdf:participant_lab_certificate"):
        response = client.get(reverse(name, kwargs={"token": scene.anna.token}))
        assert response.status_code == 409
        assert "l&#x27;attestato non è disponibile" in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex"
    assert Certificate.objects.count() == 0
    assert client.get("/iscrizioni/" + "x" * 43 + "/attestato.pdf").status_code == 404


def test_a_participant_link_cannot_keep_the_renderer_busy(client, scene, monkeypatch):
    from documents import views

    monkeypatch.setattr(views, "PARTICIPANT_CERTIFICATE_RATE", "2/h")
    url = reverse("pdf:participant_meeting_certificate", kwargs={"token": scene.marco.token})
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_staff_open_the_meeting_certificate_of_a_registration(admin_client, scene, tmp_path):
    response = admin_client.get(reverse("pdf:meeting_certificate", kwargs={"pk": scene.giulia_second.pk}))
    assert response.status_code == 200
    text = " ".join(pdftotext(response_pdf(response), tmp_path).split())
    assert "Secondo incontro" in text and "Totale 1,5 ore" in text
    response = admin_client.get(reverse("pdf:meeting_certificate", kwargs={"pk": scene.anna.pk}))
    assert response.status_code == 409
    assert "Anna Neri non risulta presente a questo incontro" in response.content.decode()
