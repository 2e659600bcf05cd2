"""The registrations' side of the meetings admin (registrations/admin.py): registrants export (CSV/XLSX), message to
the confirmed registrants, attendance, sign-in sheet, and the "notify the registrants" box on the change form."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from labs.models import Meeting
from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:labs_meeting_changelist")


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="Primo incontro",
        lab=LabFactory(title="Lab Welfare"),
        starts_at=timezone.make_aware(datetime.datetime(2030, 3, 5, 9, 30)),
        ends_at=timezone.make_aware(datetime.datetime(2030, 3, 5, 13, 30)),
        capacity=1,  # Anna holds the only seat, Bruno waits for it
    )
    RegistrationFactory(meeting=meeting, first_name="Anna", last_name="Verdi", email="anna@comune.bergamo.it")
    RegistrationFactory(
        meeting=meeting,
        first_name="Bruno",
        last_name="Bianchi",
        email="bruno@comune.lecco.it",
        organization="Comune di Lecco",
        status=Registration.Status.WAITLISTED,
    )
    RegistrationFactory(meeting=meeting, last_name="Zeta", status=Registration.Status.CANCELLED)
    return meeting


def _action(client, action: str, meetings, **extra):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [m.pk for m in meetings], **extra})


def test_export_registrants_csv(secretary_client, meeting):
    response = _action(secretary_client, "export_registrants_csv", [meeting])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="iscritti.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [
        [
            "laboratorio",
            "incontro",
            "data",
            "cognome",
            "nome",
            "email",
            "ente",
            "tipo di ente",
            "ruolo",
            "stato",
            "presente",
            "iscritto il",
        ],
        [
            "Lab Welfare",
            "Primo incontro",
            "05/03/2030 09:30",
            "Bianchi",
            "Bruno",
            "bruno@comune.lecco.it",
            "Comune di Lecco",
            "Comune",
            "Funzionaria",
            "lista d'attesa",
            "no",
            rows[1][11],
        ],
        [
            "Lab Welfare",
            "Primo incontro",
            "05/03/2030 09:30",
            "Verdi",
            "Anna",
            "anna@comune.bergamo.it",
            "Comune di Bergamo",
            "Comune",
            "Funzionaria",
            "confermata",
            "no",
            rows[2][11],
        ],
    ]


def test_export_registrants_xlsx(secretary_client, meeting):
    response = _action(secretary_client, "export_registrants_xlsx", [meeting])
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:6] == ["laboratorio", "incontro", "data", "cognome", "nome", "email"]
    assert [row[3] for row in values[1:]] == ["Bianchi", "Verdi"]
    assert len(values) == 3


def test_message_to_confirmed_registrants_preview_then_send(secretary_client, meeting):
    form = _action(secretary_client, "email_confirmed", [meeting])
    body = form.content.decode()
    assert form.status_code == 200
    assert "Destinatari: 1 iscritto confermato." in body
    preview = _action(
        secretary_client,
        "email_confirmed",
        [meeting],
        subject="Cambio aula",
        body="Ci vediamo in sala B.",
        preview="1",
    )
    assert "Il messaggio sarà inviato a 1 persona." in preview.content.decode()
    assert OutboundEmail.objects.count() == 0
    sent = _action(
        secretary_client,
        "email_confirmed",
        [meeting],
        subject="Cambio aula",
        body="Ci vediamo in sala B.",
        apply="1",
    )
    assert sent.status_code == 302
    email = OutboundEmail.objects.get()
    assert email.to == "anna@comune.bergamo.it"
    assert email.template == "staff_message"
    assert email.subject == "Cambio aula"
    assert "Gentile Anna Verdi," in email.body_text
    assert "Ci vediamo in sala B." in email.body_text
    assert "Ci vediamo in sala B." in email.body_html
    assert email.registration.last_name == "Verdi"


def test_message_form_errors_are_shown_not_sent(secretary_client, meeting):
    response = _action(secretary_client, "email_confirmed", [meeting], subject="", body="x", apply="1")
    assert response.status_code == 200
    assert "Questo campo è obbligatorio." in response.content.decode()
    assert OutboundEmail.objects.count() == 0


def test_mark_attendance(secretary_client, secretary, meeting):
    other = RegistrationFactory(meeting=meeting, first_name="Carla", last_name="Neri")
    response = _action(secretary_client, "mark_attendance", [meeting])
    url = reverse("admin:labs_meeting_attendance", args=[meeting.pk])
    assert response["Location"] == url
    page = secretary_client.get(url).content.decode()
    assert "0 presenti su 2 iscritti confermati." in page
    assert "Bianchi" not in page  # waiting list: not expected in the room
    anna = Registration.objects.get(last_name="Verdi")
    response = secretary_client.post(url, {"present": [str(anna.pk), "999999", "x"]})
    assert response.status_code == 302
    anna.refresh_from_db()
    other.refresh_from_db()
    assert (anna.attended, other.attended) == (True, False)
    assert anna.attended_at is not None
    assert anna.history.first().history_user == secretary
    assert "1 presenti su 2 iscritti confermati." in secretary_client.get(url).content.decode()
    secretary_client.post(url, {"present": [str(other.pk)]})
    anna.refresh_from_db()
    other.refresh_from_db()
    assert (anna.attended, anna.attended_at, other.attended) == (False, None, True)


def test_signin_sheet_action_links_to_the_pdf(secretary_client, meeting):
    response = _action(secretary_client, "signin_sheet", [meeting])
    assert response.status_code == 302
    assert response["Location"] == reverse("pdf:signin_sheet", args=[meeting.pk])
    change = secretary_client.get(reverse("admin:labs_meeting_change", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("pdf:signin_sheet", args=[meeting.pk])}"' in change
    assert "Verdi" in change and "Bianchi" in change  # the registrations inline


def _meeting_form_data(meeting: Meeting, **changes) -> dict:
    local = timezone.localtime
    data = {
        "lab": meeting.lab_id,
        "order": meeting.order,
        "title": meeting.title,
        "kind": meeting.kind,
        "starts_at_0": local(meeting.starts_at).strftime("%d/%m/%Y"),
        "starts_at_1": local(meeting.starts_at).strftime("%H:%M"),
        "ends_at_0": local(meeting.ends_at).strftime("%d/%m/%Y"),
        "ends_at_1": local(meeting.ends_at).strftime("%H:%M"),
        "format": meeting.format,
        "venue": meeting.venue_id,
        "online_url": meeting.online_url,
        "capacity": meeting.capacity,
        "audience": meeting.audience,
        "requires_confirmation": "on",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "registrations-MIN_NUM_FORMS": "0",
        "registrations-MAX_NUM_FORMS": "0",
    }
    data.update(changes)
    return data


def test_changing_the_time_with_the_box_ticked_notifies_active_registrants(
    admin_client, meeting, django_capture_on_commit_callbacks
):
    url = reverse("admin:labs_meeting_change", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, _meeting_form_data(meeting, starts_at_1="10:00", notify_registrants="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "10:00"
    # Confirmed and waiting-list registrants are told; the cancelled one is not.
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "anna@comune.bergamo.it",
        "bruno@comune.lecco.it",
    ]


def test_changing_the_time_without_the_box_sends_nothing(admin_client, meeting, django_capture_on_commit_callbacks):
    url = reverse("admin:labs_meeting_change", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, _meeting_form_data(meeting, starts_at_1="10:00"))
    assert response.status_code == 302
    assert OutboundEmail.objects.count() == 0


def test_ticking_the_box_without_changing_time_venue_or_link_sends_nothing(
    admin_client, meeting, django_capture_on_commit_callbacks
):
    url = reverse("admin:labs_meeting_change", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, _meeting_form_data(meeting, title="Nuovo titolo", notify_registrants="on"))
    assert response.status_code == 302
    assert OutboundEmail.objects.count() == 0


def test_raising_capacity_promotes_the_waiting_list(admin_client, meeting, django_capture_on_commit_callbacks):
    meeting.capacity = 1
    meeting.save()
    url = reverse("admin:labs_meeting_change", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, _meeting_form_data(meeting, capacity="2"))
    assert response.status_code == 302
    assert Registration.objects.get(last_name="Bianchi").status in {
        Registration.Status.PENDING,
        Registration.Status.CONFIRMED,
    }
