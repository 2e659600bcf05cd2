"""Project catalogue from and to spreadsheets: dry-run preview with per-row errors, then the real import; export."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

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
    "Codice,Titolo,Sintesi,Stato,Data di inizio,Budget (€),Aree tematiche,Programma di finanziamento,Ente capofila,"
    "Partner,In collaborazione con AnciLab,Pubblicato\n"
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
    assert rows[0]["Codice"] == "alfa"
    assert rows[0]["Aree tematiche"] in ("innovazione; welfare", "welfare; innovazione")
    fields = {f"projectresource_{name}": "on" for name in ProjectResource().get_export_order()}
    response = editor_client.post(reverse("admin:projects_project_export"), {"format": "1", "resource": "0", **fields})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, first = ([c.value for c in row] for row in list(sheet.iter_rows())[:2])
    assert header[:2] == ["Codice", "Titolo"]
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


def test_dry_run_errors_name_the_column_and_the_value_in_italian(editor_client, references):
    content = HEADER + (
        "buono,Buono,Sintesi,in corso,31/12/2024,8.739.950,00,welfare,fami,,,sì,sì\n".replace(
            "8.739.950,00", '"8.739.950,00"'
        )
        + "cattivo,Cattivo,Sintesi,forse,2024-13-45,dodici,Sconosciuta,fami,,,boh,1\n"
    )
    body = _upload(editor_client, content).content.decode()
    assert "«dodici» non è un importo: scrivi ad esempio 125.000,00." in body
    assert "«2024-13-45» non è una data: scrivi ad esempio 31/12/2024." in body
    assert "«forse» non è tra i valori ammessi:" in body
    assert "«Sconosciuta» non trovato tra aree tematiche." in body
    assert "«boh» non è sì o no." in body
    # Errors are keyed by the column staff see, never by a field name or an exception class.
    assert '<span class="validation-error-field-label">Budget (€)</span>' in body
    assert '<span class="validation-error-field-label">Data di inizio</span>' in body
    assert "ConversionSyntax" not in body and "could not be parsed" not in body
    assert Project.objects.count() == 0


def test_the_valid_rows_can_be_imported_after_a_dry_run(editor_client, references):
    content = HEADER + (
        'buono,Buono,Sintesi,in corso,31/12/2024,"8.739.950,00",welfare;Innovazione,fami,,,sì,sì\n'
        "cattivo,Cattivo,Sintesi,in corso,2024-01-01,dodici,,fami,,,no,1\n"
    )
    preview = _upload(editor_client, content).content.decode()
    assert 'value="Importa l\'unica riga valida"' in preview
    fields = dict(re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', preview))
    response = editor_client.post(reverse("admin:projects_project_process_import"), fields)
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.slug, project.status, project.budget) == ("buono", "ongoing", Decimal("8739950.00"))
    assert project.start_date == datetime.date(2024, 12, 31)
    assert sorted(project.areas.values_list("slug", flat=True)) == ["innovazione", "welfare"]
    assert project.with_ancilab is True


def test_a_semicolon_csv_with_bom_from_italian_excel_imports(editor_client, references):
    content = (
        "\ufeff" + HEADER.replace(",", ";") + "semi;Punto e virgola;Sintesi;concluso;01/02/2020;525.000;;;;;no;sì\n"
    )
    preview = _upload(editor_client, content).content.decode()
    fields = dict(re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', preview))
    editor_client.post(reverse("admin:projects_project_process_import"), fields)
    project = Project.objects.get(slug="semi")
    assert (project.status, project.budget, project.with_ancilab) == ("completed", Decimal("525000.00"), False)


def test_the_template_is_an_xlsx_with_the_import_columns(editor_client):
    response = editor_client.get(reverse("admin:projects_project_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="modello-progetti.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Progetti"]
    header = [cell.value for cell in next(book.active.iter_rows(max_row=1))]
    assert header == [field.column_name for field in ProjectResource().get_export_fields()]
    assert header[:3] == ["Codice", "Titolo", "Titolo (inglese)"]
    assert "Template" not in editor_client.get(IMPORT_URL).content.decode()
    assert "Scarica il modello (XLSX)" in editor_client.get(IMPORT_URL).content.decode()


def test_exports_for_italian_excel_semicolon_csv_with_bom_and_xlsx_with_real_dates(editor_client, references):
    ProjectFactory(slug="alfa", title="Alfa; con punto e virgola", start_date=datetime.date(2022, 3, 1))
    fields = {f"projectresource_{name}": "on" for name in ProjectResource().get_export_order()}
    csv_response = editor_client.post(
        reverse("admin:projects_project_export"), {"format": "0", "resource": "0", **fields}
    )
    text = csv_response.content.decode("utf-8")
    assert text.startswith("\ufeffCodice;Titolo;")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1][:2] == ["alfa", "Alfa; con punto e virgola"]
    xlsx = editor_client.post(reverse("admin:projects_project_export"), {"format": "1", "resource": "0", **fields})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Progetti"]
    header, first = (list(row) for row in list(book.active.iter_rows())[:2])
    start = first[[cell.value for cell in header].index("Data di inizio")]
    assert start.is_date and start.value.date() == datetime.date(2022, 3, 1)


def test_secretary_cannot_download_the_template(secretary_client):
    assert secretary_client.get(reverse("admin:projects_project_import_template")).status_code == 403
