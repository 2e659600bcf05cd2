"""Project catalogue from and to spreadsheets: dry-run preview with per-row errors, then the real import; export."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Project
from projects.resources import ProjectResource
from tests.factories import AreaFactory, FundingProgrammeFactory, OrganizationFactory, ProjectFactory

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:projects_project_import")
HEADER = (
    "slug,title,summary,status,start_date,budget,areas,programme,lead_organization,partners,with_ancilab,published\n"
)


@pytest.fixture
def references():
    AreaFactory(name="Welfare", slug="welfare")
    AreaFactory(name="Innovazione", slug="innovazione")
    FundingProgrammeFactory(name="FAMI", slug="fami")
    OrganizationFactory(name="Comune di Milano", slug="comune-milano")
    OrganizationFactory(name="Regione Lombardia, DG Welfare", slug="regione")


def _upload(client, content: str, name: str = "progetti.csv"):
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, content.encode(), content_type="text/csv"), "format": "0"},
    )


def test_dry_run_shows_per_row_errors_and_writes_nothing(editor_client, references):
    content = HEADER + (
        'nuovo-progetto,Nuovo progetto,Sintesi,ongoing,2024-01-01,1000.00,welfare;Innovazione,FAMI,comune-milano,"Regione Lombardia, DG Welfare",1,1\n'
        "senza-area,Progetto B,Sintesi,ongoing,2024-01-01,500,Sconosciuta,fami,,,0,1\n"
    )
    response = _upload(editor_client, content)
    body = response.content.decode()
    assert response.status_code == 200
    assert "«Sconosciuta» non trovato tra aree tematiche." in body
    assert Project.objects.count() == 0


def test_valid_file_previews_then_imports_on_confirm(editor_client, editor, references):
    ProjectFactory(slug="esistente", title="Vecchio titolo", summary="Sintesi")
    content = HEADER + (
        'nuovo-progetto,Nuovo progetto,Sintesi,ongoing,2024-01-01,1000.00,welfare;Innovazione,FAMI,comune-milano,"Regione Lombardia, DG Welfare",1,1\n'
        "esistente,Titolo aggiornato,Sintesi,completed,2022-01-01,,,,,,0,1\n"
    )
    preview = _upload(editor_client, content)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert Project.objects.count() == 1  # dry run only
    assert "Vecchio titolo" in Project.objects.get().title
    fields = dict(re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', body))
    assert fields["original_file_name"] == "progetti.csv"
    response = editor_client.post(reverse("admin:projects_project_process_import"), fields)
    assert response.status_code == 302
    new = Project.objects.get(slug="nuovo-progetto")
    assert sorted(new.areas.values_list("slug", flat=True)) == ["innovazione", "welfare"]
    assert new.programme.slug == "fami"
    assert new.lead_organization.slug == "comune-milano"
    assert list(new.partners.values_list("slug", flat=True)) == ["regione"]
    assert new.with_ancilab is True
    updated = Project.objects.get(slug="esistente")
    assert (updated.title, updated.status) == ("Titolo aggiornato", "completed")
    assert updated.history.first().history_user == editor


def test_export_csv_and_xlsx_round_trip(editor_client, references):
    project = ProjectFactory(slug="alfa", title="Alfa")
    project.areas.set(list(project.areas.model.objects.filter(slug__in=["welfare", "innovazione"])))
    dataset = ProjectResource().export()
    rows = list(csv.DictReader(io.StringIO(dataset.csv)))
    assert rows[0]["slug"] == "alfa"
    assert rows[0]["areas"] == "innovazione; welfare" or rows[0]["areas"] == "welfare; innovazione"
    fields = {f"projectresource_{name}": "on" for name in ProjectResource().get_export_order()}
    response = editor_client.post(reverse("admin:projects_project_export"), {"format": "1", "resource": "0", **fields})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, first = ([c.value for c in row] for row in list(sheet.iter_rows())[:2])
    assert header[:2] == ["slug", "title"]
    assert first[:2] == ["alfa", "Alfa"]


def test_secretary_cannot_import(secretary_client):
    assert secretary_client.get(IMPORT_URL).status_code == 403


def test_export_page_has_no_inline_handler_or_style_and_loads_the_toggle_script(editor_client):
    """The strict CSP refuses inline handlers and style attributes: the overridden template has none, and the "select
    all" toggle gets its behaviour from a static file (the browser test is tests/e2e/test_backoffice_export.py)."""
    html = editor_client.get(reverse("admin:projects_project_export")).content.decode()
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler attribute"
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert '<script src="/static/js/admin-export-select-all.js" defer></script>' in html
    toggle = re.search(r'<input type="checkbox" class="select-toggle"[^>]*>', html, re.DOTALL).group(0)
    assert 'id="select-all-toggle-0"' in toggle and 'data-export-select-all="0"' in toggle and "name=" not in toggle
    assert '<label for="select-all-toggle-0"><strong>Seleziona tutti</strong></label>' in html
    assert "<p>Verranno esportati questi campi:</p>" in html
