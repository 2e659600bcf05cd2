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
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory, VenueFactory
from tests.support.forms import form_data

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
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        [
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
        ],
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
            rows[1][13],
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
            rows[2][13],
        ],
    ]


def test_export_registrants_xlsx(secretary_client, meeting):
    response = _action(secretary_client, "export_registrants_xlsx", [meeting])
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:7] == ["laboratorio", "incontro", "data", "partecipazione", "cognome", "nome", "email"]
    assert [row[4] for row in values[1:]] == ["Bianchi", "Verdi"]
    assert len(values) == 3


def test_message_to_confirmed_registrants_preview_then_send(secretary_client, meeting):
    form = _action(secretary_client, "email_confirmed", [meeting])
    body = form.content.decode()
    assert form.status_code == 200
    assert '<option value="confirmed" selected>iscritti confermati</option>' in body
    preview = _action(
        secretary_client,
        "email_confirmed",
        [meeting],
        audience="confirmed",
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
        audience="confirmed",
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
    assert "Presenti: 0 su 2 iscritti confermati." in page
    assert "Bianchi" not in page  # waiting list: not expected in the room
    anna = Registration.objects.get(last_name="Verdi")
    # The meeting is in 2030: before its start attendance needs the explicit confirmation (attendance.py).
    response = secretary_client.post(url, {"present": [str(anna.pk)]})
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.attended is False
    response = secretary_client.post(url, {"present": [str(anna.pk), "999999", "x"], "confirm_early": "1"})
    assert response.status_code == 302
    anna.refresh_from_db()
    other.refresh_from_db()
    assert (anna.attended, other.attended) == (True, False)
    assert anna.attended_at is not None
    assert anna.history.first().history_user == secretary
    assert "Presenti: 1 su 2 iscritti confermati." in secretary_client.get(url).content.decode()
    secretary_client.post(url, {"present": [str(other.pk)], "confirm_early": "1"})
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
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
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


# --- Every change from the meeting's own page goes through services.meeting_changed ---------------------------------
def _change_page(client, meeting) -> str:
    return client.get(reverse("admin:labs_meeting_change", args=[meeting.pk])).content.decode()


def _save(client, meeting, django_capture_on_commit_callbacks, **changes):
    """POST the change form as the browser would send it (boxes ticked by default stay ticked)."""
    data = form_data(_change_page(client, meeting), "meeting_form", **changes)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("admin:labs_meeting_change", args=[meeting.pk]), data, follow=True)


def _sent() -> list[tuple[str, str]]:
    return sorted(OutboundEmail.objects.values_list("to", "template"))


def test_the_change_form_ticks_notify_by_default_and_names_who_would_not_be_told(admin_client, meeting):
    page = _change_page(admin_client, meeting)
    data = form_data(page, "meeting_form")
    assert (data["notify_registrants"], data["cancel_registrations"]) == ("on", "on")
    assert (
        "Se togli la spunta, non saranno avvisati 2 iscritti: Bruno Bianchi (lista d&#x27;attesa), "
        "Anna Verdi (confermata)."
    ) in page


def test_names_in_the_help_text_are_escaped(admin_client, meeting):
    RegistrationFactory(meeting=meeting, first_name="<b>Evil</b>", last_name="X", status=Registration.Status.WAITLISTED)
    page = _change_page(admin_client, meeting)
    assert "&lt;b&gt;Evil&lt;/b&gt; X" in page
    assert "<b>Evil</b>" not in page


def test_the_change_form_by_default_tells_every_active_registrant(
    admin_client, meeting, django_capture_on_commit_callbacks
):
    response = _save(admin_client, meeting, django_capture_on_commit_callbacks, starts_at_1="10:00")
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert _sent() == [("anna@comune.bergamo.it", "meeting_changed"), ("bruno@comune.lecco.it", "meeting_changed")]
    assert "Avviso della modifica in coda per 2 iscritti." in response.content.decode()


def test_cancelling_on_the_change_form_cancels_the_registrations_and_the_public_page_stops_offering_seats(
    admin_client, client, meeting, django_capture_on_commit_callbacks
):
    meeting.lab.published = True
    meeting.lab.save()
    public = reverse("labs:meeting_detail", args=[meeting.pk])
    assert "0 posti disponibili su 1" in client.get(public).content.decode()
    response = _save(admin_client, meeting, django_capture_on_commit_callbacks, cancelled="on")
    assert "2 iscrizioni annullate con l&#x27;incontro." in response.content.decode()
    assert set(Registration.objects.filter(meeting=meeting).values_list("status", flat=True)) == {"cancelled"}
    assert _sent() == [("anna@comune.bergamo.it", "meeting_cancelled"), ("bruno@comune.lecco.it", "meeting_cancelled")]
    page = client.get(public).content.decode()
    assert "Annullato" in page
    assert "disponibil" not in page  # neither "posti disponibili" nor "posto disponibile"
    assert reverse("registrations:register", args=[meeting.pk]) not in page


def test_cancelling_on_the_change_form_can_keep_registrations_and_tell_nobody(
    admin_client, meeting, django_capture_on_commit_callbacks
):
    response = _save(
        admin_client,
        meeting,
        django_capture_on_commit_callbacks,
        cancelled="on",
        cancel_registrations=None,
        notify_registrants=None,
    )
    assert dict(Registration.objects.filter(meeting=meeting).values_list("last_name", "status")) == {
        "Verdi": "confirmed",
        "Bianchi": "waitlisted",
        "Zeta": "cancelled",
    }
    assert OutboundEmail.objects.count() == 0
    assert "Come richiesto, 2 iscritti non sono stati avvisati della modifica." in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).cancelled


def test_the_change_form_refuses_a_capacity_below_the_seats_held(
    admin_client, meeting, django_capture_on_commit_callbacks
):
    RegistrationFactory(meeting=meeting, status=Registration.Status.PENDING, confirmed_at=None)
    Meeting.objects.filter(pk=meeting.pk).update(capacity=3)
    response = _save(admin_client, meeting, django_capture_on_commit_callbacks, capacity="1")
    assert response.redirect_chain == []
    assert (
        "Non puoi ridurre i posti a 1: 2 persone hanno già un posto (confermate o in attesa di conferma). Prima "
        "annulla o sposta le iscrizioni di chi non potrà partecipare, oppure lascia almeno 2 posti."
    ) in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).capacity == 3
    assert OutboundEmail.objects.count() == 0
    # Exactly the seats held is fine.
    response = _save(admin_client, meeting, django_capture_on_commit_callbacks, capacity="2")
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert Meeting.objects.get(pk=meeting.pk).capacity == 2


def _online_registrants(meeting, count: int) -> None:
    for n in range(count):
        RegistrationFactory(meeting=meeting, email=f"online{n}@comune.example.it", attendance_mode="online")


def test_the_change_form_refuses_online_seats_below_the_online_seats_held(
    admin_client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, capacity=5, online_capacity=3)
    _online_registrants(meeting, 2)
    response = _save(admin_client, meeting, django_capture_on_commit_callbacks, online_capacity="1")
    assert response.redirect_chain == []
    assert (
        "Non puoi ridurre i posti online a 1: 2 persone hanno già un posto online. Prima annulla o sposta le "
        "iscrizioni di chi non potrà partecipare, oppure lascia almeno 2 posti."
    ) in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).online_capacity == 3
    response = _save(admin_client, meeting, django_capture_on_commit_callbacks, online_capacity="2")
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert Meeting.objects.get(pk=meeting.pk).online_capacity == 2


def test_the_change_form_refuses_making_hybrid_a_meeting_whose_online_seats_would_not_suffice(
    admin_client, django_capture_on_commit_callbacks
):
    """An online meeting's registrations stay online in the hybrid meeting: they must fit its online seats."""
    meeting = MeetingFactory(format=Meeting.Format.ONLINE, venue=None, capacity=10, online_capacity=1)
    _online_registrants(meeting, 3)
    venue = VenueFactory()
    response = _save(admin_client, meeting, django_capture_on_commit_callbacks, format="hybrid", venue=str(venue.pk))
    assert response.redirect_chain == []
    assert (
        "Da ibrido l&#x27;incontro avrebbe 1 posto online, ma 3 persone hanno già un posto online. Lascia almeno 3 "
        "posti online (o vuoto: illimitati), oppure prima annulla o sposta le iscrizioni di chi non potrà "
        "partecipare."
    ) in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).format == "online"
    # Unlimited online seats in the same save: None is a value, not "unchanged".
    response = _save(
        admin_client,
        meeting,
        django_capture_on_commit_callbacks,
        format="hybrid",
        venue=str(venue.pk),
        online_capacity="",
    )
    assert response.redirect_chain[-1][0] == CHANGELIST
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.format, saved.online_capacity) == ("hybrid", None)
    assert set(Registration.objects.filter(meeting=meeting).values_list("attendance_mode", flat=True)) == {"online"}


def test_the_change_form_refuses_making_online_a_hybrid_meeting_whose_seats_would_not_suffice(
    admin_client, django_capture_on_commit_callbacks
):
    """Made online, every registration takes the online seats of `capacity`."""
    meeting = MeetingFactory(
        format=Meeting.Format.HYBRID, capacity=2, online_capacity=None, online_url="https://x.example.org/call"
    )
    RegistrationFactory(meeting=meeting, email="sala@comune.example.it", attendance_mode="in_person")
    _online_registrants(meeting, 2)
    response = _save(admin_client, meeting, django_capture_on_commit_callbacks, format="online")
    assert response.redirect_chain == []
    assert "Non puoi ridurre i posti a 2: 3 persone hanno già un posto" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).format == "hybrid"


def test_the_change_form_refuses_moving_a_meeting_with_registrants_into_the_past(
    admin_client, meeting, django_capture_on_commit_callbacks
):
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    response = _save(
        admin_client,
        meeting,
        django_capture_on_commit_callbacks,
        starts_at_0=yesterday.strftime("%d/%m/%Y"),
        ends_at_0=yesterday.strftime("%d/%m/%Y"),
    )
    assert response.redirect_chain == []
    assert (
        "Questo incontro ha 2 iscrizioni attive: non puoi spostarlo nel passato. Scegli una data futura, oppure "
        "annulla l&#x27;incontro (e le sue iscrizioni)."
    ) in response.content.decode()
    assert OutboundEmail.objects.count() == 0


# --- Action: cancel the selected meetings, with a confirmation page -------------------------------------------------
def test_cancel_meetings_action_confirms_then_cancels_and_tells(admin_client, meeting):
    other = MeetingFactory(lab=meeting.lab, title="Secondo incontro", capacity=1)
    RegistrationFactory(meeting=other, email="carla@comune.como.it")
    page = _action(admin_client, "cancel_meetings", [meeting, other]).content.decode()
    assert "Gli incontri selezionati hanno 3 iscrizioni attive" in page
    data = form_data(page, None)
    assert (data["notify_registrants"], data["cancel_registrations"]) == ("on", "on")
    assert Registration.objects.filter(status="cancelled").count() == 1  # nothing happened yet
    response = admin_client.post(CHANGELIST, {**data, "apply": "1"}, follow=True)
    body = response.content.decode()
    assert "«Primo incontro»: 2 iscrizioni annullate con l&#x27;incontro." in body
    assert "«Secondo incontro»: Avviso della modifica in coda per 1 iscritto." in body
    assert Meeting.objects.filter(pk__in=[meeting.pk, other.pk], cancelled=True).count() == 2
    assert _sent() == [
        ("anna@comune.bergamo.it", "meeting_cancelled"),
        ("bruno@comune.lecco.it", "meeting_cancelled"),
        ("carla@comune.como.it", "meeting_cancelled"),
    ]
    assert not Registration.objects.filter(status__in=["confirmed", "pending", "waitlisted"]).exists()


def test_cancel_meetings_action_can_keep_the_registrations(admin_client, meeting):
    page = _action(admin_client, "cancel_meetings", [meeting]).content.decode()
    data = form_data(page, None, cancel_registrations=None)
    admin_client.post(CHANGELIST, {**data, "apply": "1"})
    assert Meeting.objects.get(pk=meeting.pk).cancelled
    assert dict(Registration.objects.filter(meeting=meeting).values_list("last_name", "status")) == {
        "Verdi": "confirmed",
        "Bianchi": "waitlisted",
        "Zeta": "cancelled",
    }
    assert _sent() == [("anna@comune.bergamo.it", "meeting_cancelled"), ("bruno@comune.lecco.it", "meeting_cancelled")]


def test_cancel_meetings_action_is_offered_to_who_may_change_meetings_and_registrations(admin_client, editor_client):
    MeetingFactory(title="Incontro visibile")
    assert 'value="cancel_meetings"' in admin_client.get(CHANGELIST).content.decode()
    page = editor_client.get(CHANGELIST).content.decode()
    assert "Incontro visibile" in page
    assert 'value="cancel_meetings"' not in page


def test_editors_read_how_many_would_not_be_told_but_not_who(editor_client, meeting):
    page = _change_page(editor_client, meeting)
    assert "Se togli la spunta, non saranno avvisati 2 iscritti." in page
    assert "Verdi" not in page and "Bianchi" not in page
