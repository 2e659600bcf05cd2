"""A spreadsheet import never publishes nor withdraws a project: new rows are drafts, existing ones keep their state,
and a "Pubblicato" asking otherwise is named in a message, in the dry run and after the import."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:projects_project_import")
PROCESS_URL = reverse("admin:projects_project_process_import")
HEADER = ["Codice", "Titolo", "Sintesi", "Stato", "Pubblicato"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(*rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in (HEADER, *rows):
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("progetti.xlsx", buffer.getvalue(), content_type=XLSX_TYPE)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _dry_run_then_import(client, upload):
    preview = client.post(IMPORT_URL, {"import_file": upload, "format": "1"})  # formats: [ItalianCSV, XLSX]
    assert preview.status_code == 200
    fields = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', preview.content.decode()
        )
    )
    done = client.post(PROCESS_URL, fields, follow=True)
    assert done.status_code == 200
    return preview, done


def test_an_import_asking_to_publish_or_withdraw_changes_no_publication(editor_client):
    ProjectFactory(slug="pubblicato", title="Già pubblico", published=True)
    ProjectFactory(slug="bozza", title="Bozza", published=False)
    ProjectFactory(slug="invariato", title="Invariato", published=True)
    upload = _xlsx(
        ("nuovo", "Nuovo progetto", "Sintesi", "in corso", "sì"),
        ("pubblicato", "Già pubblico, titolo nuovo", "Sintesi", "in corso", "no"),
        ("bozza", "Bozza, titolo nuovo", "Sintesi", "in corso", "sì"),
        ("invariato", "Invariato, titolo nuovo", "Sintesi", "in corso", "sì"),
    )
    preview, done = _dry_run_then_import(editor_client, upload)
    expected = (
        "La colonna «Pubblicato» non cambia la pubblicazione: i progetti «nuovo», «pubblicato», «bozza» restano "
        "com'erano (un progetto nuovo è una bozza). Per pubblicare o ritirare usa le azioni «Pubblica» e «Ritira» "
        "nell'elenco dei progetti."
    )
    assert _messages(preview) == [expected]
    assert expected in _messages(done)
    assert dict(Project.objects.values_list("slug", "published")) == {
        "nuovo": False,
        "pubblicato": True,
        "bozza": False,
        "invariato": True,
    }
    assert dict(Project.objects.values_list("slug", "title"))["bozza"] == "Bozza, titolo nuovo"


def test_a_file_that_agrees_with_the_site_imports_without_the_message(editor_client):
    ProjectFactory(slug="pubblicato", title="Già pubblico", published=True)
    upload = _xlsx(
        ("nuovo", "Nuovo progetto", "Sintesi", "in corso", "no"),
        ("pubblicato", "Titolo nuovo", "Sintesi", "in corso", "sì"),
    )
    preview, done = _dry_run_then_import(editor_client, upload)
    assert _messages(preview) == []
    assert not any("Pubblicato" in message for message in _messages(done))
    assert dict(Project.objects.values_list("slug", "published")) == {"nuovo": False, "pubblicato": True}


def test_one_project_is_named_in_the_singular(editor_client):
    preview = editor_client.post(
        IMPORT_URL, {"import_file": _xlsx(("nuovo", "Nuovo", "Sintesi", "in corso", "sì")), "format": "1"}
    )
    assert _messages(preview) == [
        "La colonna «Pubblicato» non cambia la pubblicazione: il progetto «nuovo» resta com'era (un progetto nuovo è "
        "una bozza). Per pubblicare o ritirare usa le azioni «Pubblica» e «Ritira» nell'elenco dei progetti."
    ]
    assert Project.objects.count() == 0
