"""Registrants' exports from the registrations list (registrations/admin.py): the whole filtered list (the buttons
above it) or the selected rows (an action); CSV for Italian Excel (";" and a BOM), comma CSV, XLSX with real dates."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:registrations_registration_changelist")
HEADERS = [
    "laboratorio",
    "incontro",
    "data",
    "partecipazione",
    "cognome",
    "nome",
    "email",
    "ente",
    "tipo di ente",
    "Codice ISTAT ente",
    "ruolo",
    "stato",
    "presente",
    "iscritto il",
]


def _export_url(file_format: str) -> str:
    return reverse("admin:registrations_registration_export", args=[file_format])


@pytest.fixture
def meetings():
    lab = LabFactory(title="Lab Welfare")
    first = MeetingFactory(
        lab=lab,
        title="Primo incontro",
        starts_at=timezone.make_aware(datetime.datetime(2030, 3, 5, 9, 30)),
        ends_at=timezone.make_aware(datetime.datetime(2030, 3, 5, 13, 30)),
    )
    second = MeetingFactory(lab=lab, title="Secondo incontro")
    created = timezone.make_aware(datetime.datetime(2030, 1, 20, 18, 5))  # 17:05 UTC
    RegistrationFactory(meeting=first, first_name="Anna", last_name="Verdi", email="anna@comune.bergamo.it")
    RegistrationFactory(
        meeting=first,
        first_name="Bruno",
        last_name="Bianchi",
        email="bruno@comune.lecco.it",
        organization="Comune di Lecco",
        status=Registration.Status.WAITLISTED,
    )
    RegistrationFactory(meeting=second, first_name="Carla", last_name="Neri")
    Registration.objects.update(created_at=created)  # auto_now_add: set afterwards
    return first, second


def _csv_rows(response, delimiter=";"):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the accents right only with the BOM
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def test_the_list_offers_the_filtered_exports(secretary_client, meetings):
    body = secretary_client.get(CHANGELIST, {"meeting__id__exact": meetings[0].pk}).content.decode()
    query = f"?meeting__id__exact={meetings[0].pk}"
    assert f'href="{_export_url("csv")}{query}"' in body
    assert f'href="{_export_url("xlsx")}{query}"' in body
    assert 'value="export_selected_csv"' in body and 'value="export_selected_xlsx"' in body


def test_csv_export_honours_the_meeting_filter(secretary_client, meetings):
    response = secretary_client.get(_export_url("csv"), {"meeting__id__exact": meetings[0].pk, "o": "1"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="iscritti.csv"'
    assert _csv_rows(response) == [
        HEADERS,
        [
            "Lab Welfare",
            "Primo incontro",
            "05/03/2030 09:30",
            "in presenza",
            "Bianchi",
            "Bruno",
            "bruno@comune.lecco.it",
            "Comune di Lecco",
            "Comune",
            "",
            "Funzionaria",
            "lista d'attesa",
            "no",
            "20/01/2030 18:05",
        ],
        [
            "Lab Welfare",
            "Primo incontro",
            "05/03/2030 09:30",
            "in presenza",
            "Verdi",
            "Anna",
            "anna@comune.bergamo.it",
            "Comune di Bergamo",
            "Comune",
            "",
            "Funzionaria",
            "confermata",
            "no",
            "20/01/2030 18:05",
        ],
    ]


def test_export_honours_the_status_filter_and_the_search(secretary_client, meetings):
    waiting = secretary_client.get(_export_url("csv"), {"status__exact": Registration.Status.WAITLISTED})
    assert [row[4] for row in _csv_rows(waiting)[1:]] == ["Bianchi"]
    found = secretary_client.get(_export_url("csv"), {"q": "Neri"})
    assert [(row[1], row[4]) for row in _csv_rows(found)[1:]] == [("Secondo incontro", "Neri")]


def test_comma_csv_on_request(secretary_client, meetings):
    response = secretary_client.get(_export_url("csv-virgola"), {"q": "Neri"})
    rows = _csv_rows(response, delimiter=",")
    assert rows[0] == HEADERS
    assert rows[1][4:6] == ["Neri", "Carla"]


def test_xlsx_export_has_a_named_sheet_and_real_dates(secretary_client, meetings):
    response = secretary_client.get(_export_url("xlsx"), {"meeting__id__exact": meetings[0].pk, "o": "1"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="iscritti.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Iscritti"]
    sheet = book["Iscritti"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    # Local time (Europe/Rome), naive in the cell: Excel has no time zones.
    assert values[1] == [
        "Lab Welfare",
        "Primo incontro",
        datetime.datetime(2030, 3, 5, 9, 30),
        "in presenza",
        "Bianchi",
        "Bruno",
        "bruno@comune.lecco.it",
        "Comune di Lecco",
        "Comune",
        None,
        "Funzionaria",
        "lista d'attesa",
        "no",
        datetime.datetime(2030, 1, 20, 18, 5),
    ]
    assert [row[4] for row in values[2:]] == ["Verdi"]
    assert sheet["C2"].is_date and sheet["N2"].is_date
    assert sheet["C2"].number_format == "DD/MM/YYYY HH:MM"  # as Italian staff read dates
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_selected_rows_action(secretary_client, meetings):
    neri = Registration.objects.get(last_name="Neri")
    response = secretary_client.post(
        CHANGELIST, {"action": "export_selected_csv", "_selected_action": [neri.pk], "index": 0}
    )
    assert [row[4] for row in _csv_rows(response)[1:]] == ["Neri"]
    response = secretary_client.post(
        CHANGELIST, {"action": "export_selected_xlsx", "_selected_action": [neri.pk], "index": 0}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Iscritti"]
    assert [row[4].value for row in sheet.iter_rows(min_row=2)] == ["Neri"]


def test_the_editorial_staff_cannot_export_registrants(editor_client, meetings):
    assert editor_client.get(_export_url("csv")).status_code == 403
    assert editor_client.get(_export_url("xlsx")).status_code == 403


def test_unknown_format_and_bad_filter(secretary_client, meetings):
    assert secretary_client.get(_export_url("pdf")).status_code == 404
    response = secretary_client.get(_export_url("csv"), {"meeting__nonsense": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?e=1"


def test_export_queries_do_not_grow_with_registrants(secretary_client, meetings, django_assert_num_queries):
    url = _export_url("xlsx")
    secretary_client.get(url)  # the staff session's idle clock is written on the first request only
    with django_assert_num_queries(QUERIES):
        secretary_client.get(url)
    for index in range(10):
        RegistrationFactory(meeting=meetings[1], last_name=f"Altro{index}")
    with django_assert_num_queries(QUERIES):
        response = secretary_client.get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Iscritti"]
    assert sheet.max_row == 14  # the header and 13 registrations


# Session, user, MFA, permissions (2), the list's filter choices and counts (built by Django's ChangeList, which applies
# the filters), then the registrations with their meeting and lab in one query.
QUERIES = 12
