"""Check-in at the door and registrations typed by the secretariat (issue 16): the signed check-in code and its QR
code (email, manage page), the attendance rule "from the meeting's start, earlier only when confirmed", walk-ins and
registration on behalf through services.registration_create_by_staff (rules, logged override, no silent opt-in
bypass), and the admin pages as the "Segreteria iscrizioni" role."""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from documents.documents import signin_registrations
from labs.models import Meeting
from registrations import services
from registrations.attendance import meeting_attendees, meeting_mark_attendance, registration_check_in
from registrations.checkin import checkin_code, checkin_qr_png, registration_pk_from_code
from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory
from tests.registrations.conftest import person
from tests.registrations.test_services import rendered

pytestmark = pytest.mark.django_db


@pytest.fixture
def started():
    """A meeting that started 30 minutes ago and lasts three hours (people arrive at the door)."""
    start = timezone.now() - datetime.timedelta(minutes=30)
    return MeetingFactory(
        title="Incontro in sala",
        lab=LabFactory(title="Lab Welfare"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=2,
    )


@pytest.fixture
def upcoming():
    start = timezone.now() + datetime.timedelta(days=3)
    return MeetingFactory(title="Incontro futuro", starts_at=start, ends_at=start + datetime.timedelta(hours=2))


# --- The check-in code ------------------------------------------------------------------------------------------------
def test_the_check_in_code_is_signed_and_is_not_the_manage_token(client):
    registration = RegistrationFactory()
    code = checkin_code(registration.pk)
    assert code.startswith(f"ANCILAB-{registration.pk}:")
    assert registration_pk_from_code(code) == registration.pk
    assert registration_pk_from_code(f"  {code}\n") == registration.pk
    forged = f"ANCILAB-{registration.pk + 1}:{code.split(':', 1)[1]}"
    assert registration_pk_from_code(forged) is None
    assert registration_pk_from_code(code[:-2]) is None
    assert registration_pk_from_code("https://example.org/") is None
    # A shared photo of the QR code opens nothing: the token of the manage page is not in it.
    assert registration.token not in code
    assert client.get(f"/iscrizioni/{code}/").status_code == 404


def test_the_confirmed_email_carries_the_qr_code_as_png_and_text():
    meeting = MeetingFactory(requires_confirmation=False)
    registration = services.registration_create(meeting_id=meeting.pk, data=person(), language="it").registration
    email = rendered(OutboundEmail.objects.get(template="confirmed"))
    code = checkin_code(registration.pk)
    assert [a["filename"] for a in email.attachments] == ["incontro.ics", "codice-qr-ingresso.png"]
    qr = email.attachments[1]
    assert (qr["mimetype"], qr["content"]) == ("image/png", checkin_qr_png(code))
    assert qr["content"].startswith(b"\x89PNG")
    assert f"mostra il codice QR allegato (codice-qr-ingresso.png), sul telefono o stampato. Il tuo codice: {code}" in (
        email.body_text
    )
    assert f"<code>{code}</code>" in email.body_html


def test_the_confirmed_email_is_sent_with_the_png_attached(django_capture_on_commit_callbacks, mailoutbox):
    meeting = MeetingFactory(requires_confirmation=False)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(meeting_id=meeting.pk, data=person(), language="it").registration
    (message,) = mailoutbox
    names = [(name, mimetype) for name, _content, mimetype in message.attachments]
    assert ("codice-qr-ingresso.png", "image/png") in names
    assert checkin_code(registration.pk) in message.body


def test_the_manage_page_shows_the_qr_code_of_a_confirmed_place_only(client):
    confirmed = RegistrationFactory()
    pending = RegistrationFactory(status=Registration.Status.PENDING, meeting=confirmed.meeting)
    page = client.get(reverse("registrations:manage", args=[confirmed.token])).content.decode()
    assert "Il tuo codice per l'ingresso" in page
    assert f'<code id="checkin-code">{checkin_code(confirmed.pk)}</code>' in page
    assert "<svg" in page
    page = client.get(reverse("registrations:manage", args=[pending.token])).content.decode()
    assert "checkin-code" not in page


# --- The attendance rule ----------------------------------------------------------------------------------------------
def test_attendance_before_the_start_needs_a_confirmation(upcoming, secretary):
    registration = RegistrationFactory(meeting=upcoming)
    with pytest.raises(services.RegistrationRefused) as info:
        registration_check_in(registration_id=registration.pk, meeting_id=upcoming.pk, user=secretary)
    assert info.value.code == "too_early"
    with pytest.raises(services.RegistrationRefused):
        meeting_mark_attendance(meeting_id=upcoming.pk, present_ids={registration.pk})
    registration.refresh_from_db()
    assert registration.attended is False
    _registration, already = registration_check_in(
        registration_id=registration.pk, meeting_id=upcoming.pk, user=secretary, confirm_early=True
    )
    registration.refresh_from_db()
    assert (already, registration.attended) == (False, True)
    assert registration.history.first().history_user == secretary


def test_check_in_from_the_start_once_and_only_confirmed_people_of_that_meeting(started, upcoming):
    anna = RegistrationFactory(meeting=started)
    waiting = RegistrationFactory(meeting=started, status=Registration.Status.WAITLISTED, confirmed_at=None)
    elsewhere = RegistrationFactory(meeting=upcoming)
    assert registration_check_in(registration_id=anna.pk, meeting_id=started.pk)[1] is False
    assert registration_check_in(registration_id=anna.pk, meeting_id=started.pk)[1] is True
    with pytest.raises(services.RegistrationRefused) as info:
        registration_check_in(registration_id=waiting.pk, meeting_id=started.pk)
    assert info.value.code == "not_confirmed"
    with pytest.raises(services.RegistrationRefused) as info:
        registration_check_in(registration_id=elsewhere.pk, meeting_id=started.pk)
    assert info.value.code == "not_found"


def test_the_sign_in_sheet_and_the_check_in_list_the_same_people_in_the_same_order(started):
    for last, first in [("verdi", "Anna"), ("Bianchi", "Bruno"), ("Verdi", "Aldo"), ("Álvarez", "Eva")]:
        RegistrationFactory(meeting=started, last_name=last, first_name=first)
    RegistrationFactory(meeting=started, last_name="Attesa", status=Registration.Status.WAITLISTED)
    RegistrationFactory(meeting=started, last_name="Annullata", status=Registration.Status.CANCELLED)
    sheet = [(r.last_name, r.first_name) for r in signin_registrations(started)]
    assert sheet == [(r.last_name, r.first_name) for r in meeting_attendees(started.pk)]
    assert sheet == [("Bianchi", "Bruno"), ("Verdi", "Aldo"), ("verdi", "Anna"), ("Álvarez", "Eva")]


# --- Registered by the secretariat ------------------------------------------------------------------------------------
def test_on_behalf_is_confirmed_at_once_logged_with_the_staff_user_and_emails_only_if_asked(upcoming, secretary):
    quiet = services.registration_create_by_staff(meeting_id=upcoming.pk, data=person(1), user=secretary, notify=False)
    assert (quiet.status, quiet.registered_by, quiet.override_reason) == ("confirmed", secretary, "")
    assert quiet.confirmed_at is not None and quiet.hold_expires_at is None
    assert quiet.history.first().history_user == secretary
    assert OutboundEmail.objects.count() == 0
    told = services.registration_create_by_staff(meeting_id=upcoming.pk, data=person(2), user=secretary, notify=True)
    assert list(OutboundEmail.objects.values_list("to", "template")) == [(told.email, "confirmed")]


def test_capacity_refuses_the_secretariat_without_a_reason_and_logs_the_override(started, secretary):
    RegistrationFactory(meeting=started)
    RegistrationFactory(meeting=started)
    with pytest.raises(services.RegistrationRefused) as info:
        services.registration_create_by_staff(meeting_id=started.pk, data=person(3), user=secretary, notify=False)
    assert info.value.code == "full"
    assert info.value.message == (
        "L'incontro è al completo: non ci sono posti liberi. Per iscrivere comunque la persona indica il motivo "
        "della deroga."
    )
    assert Registration.objects.filter(meeting=started).count() == 2
    registration = services.registration_create_by_staff(
        meeting_id=started.pk,
        data=person(3),
        user=secretary,
        notify=False,
        override_reason="Relatrice sostituta, autorizzata dalla direzione",
    )
    assert registration.status == "confirmed"
    assert registration.override_reason == "Relatrice sostituta, autorizzata dalla direzione"
    entry = registration.history.first()
    assert (entry.history_user, entry.override_reason) == (secretary, registration.override_reason)
    assert entry.history_change_reason == "Deroga: Relatrice sostituta, autorizzata dalla direzione"
    assert Registration.objects.filter(meeting=started).holding_seat().count() == 3


def test_eligibility_still_applies_and_a_reason_is_only_kept_when_a_rule_was_set_aside(upcoming, secretary):
    upcoming.audience = Meeting.Audience.PUBLIC_ADMINISTRATIONS
    upcoming.save()
    company = person(1, organization="ACME srl", organization_type="azienda")
    with pytest.raises(services.RegistrationRefused) as info:
        services.registration_create_by_staff(meeting_id=upcoming.pk, data=company, user=secretary, notify=False)
    assert info.value.code == "not_eligible"
    admitted = services.registration_create_by_staff(
        meeting_id=upcoming.pk, data=company, user=secretary, notify=False, override_reason="Partner del progetto"
    )
    assert admitted.override_reason == "Partner del progetto"
    plain = services.registration_create_by_staff(
        meeting_id=upcoming.pk, data=person(2), user=secretary, notify=False, override_reason="non serve"
    )
    assert plain.override_reason == ""


def test_what_no_reason_overrides(upcoming, secretary):
    RegistrationFactory(meeting=upcoming, email="anna@comune.bergamo.it", first_name="Anna", last_name="Verdi")
    with pytest.raises(services.RegistrationRefused) as info:
        services.registration_create_by_staff(
            meeting_id=upcoming.pk,
            data=person(1, email="Anna@Comune.Bergamo.it"),
            user=secretary,
            notify=False,
            override_reason="x",
        )
    assert (info.value.code, info.value.message) == (
        "duplicate",
        "Anna Verdi è già iscritta a questo incontro (confermata).",
    )
    upcoming.cancelled = True
    upcoming.save()
    with pytest.raises(services.RegistrationRefused) as info:
        services.registration_create_by_staff(
            meeting_id=upcoming.pk, data=person(2), user=secretary, notify=False, override_reason="x"
        )
    assert info.value.code == "cancelled"
    over = MeetingFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=5), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(services.RegistrationRefused) as info:
        services.registration_create_by_staff(
            meeting_id=over.pk, data=person(3), user=secretary, notify=False, override_reason="x"
        )
    assert info.value.code == "past"


# --- The admin, as the "Segreteria iscrizioni" role -----------------------------------------------------------------
def test_the_secretariat_registers_a_person_on_behalf_in_the_admin(secretary_client, secretary, upcoming):
    url = reverse("admin:registrations_registration_add")
    change = secretary_client.get(reverse("admin:labs_meeting_change", args=[upcoming.pk])).content.decode()
    assert f'href="{url}?meeting={upcoming.pk}"' in change
    assert f'href="{reverse("admin:labs_meeting_checkin", args=[upcoming.pk])}"' in change
    page = secretary_client.get(url, {"meeting": upcoming.pk}).content.decode()
    assert f'<option value="{upcoming.pk}" selected>' in page
    data = {**person(1), "meeting": upcoming.pk, "notify": "on", "override_reason": ""}
    response = secretary_client.post(url, data)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:registrations_registration_change", args=[registration.pk])
    assert (registration.status, registration.registered_by) == ("confirmed", secretary)
    assert list(OutboundEmail.objects.values_list("template", flat=True)) == ["confirmed"]
    change = secretary_client.get(response["Location"]).content.decode()
    assert "Iscritta dallo staff" in change and "segreteria" in change
    # The same address again: refused on the form, nothing written.
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert "Giulia Rossi1 è già iscritta a questo incontro (confermata)." in response.content.decode()
    assert Registration.objects.count() == 1


def test_check_in_page_scanned_code_and_early_confirmation(secretary_client, secretary, upcoming):
    anna = RegistrationFactory(meeting=upcoming, first_name="Anna", last_name="Verdi", organization="Comune di Como")
    url = reverse("admin:labs_meeting_checkin", args=[upcoming.pk])
    response = secretary_client.get(url)
    assert response.status_code == 200
    assert response["Permissions-Policy"].startswith("accelerometer=(), camera=(self),")
    assert "'wasm-unsafe-eval'" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "L'incontro non è ancora iniziato" in page
    response = secretary_client.post(url, {"code": checkin_code(anna.pk)}, follow=True)
    assert "per registrare le presenze prima dell&#x27;inizio conferma esplicitamente la scelta." in (
        response.content.decode()
    )
    anna.refresh_from_db()
    assert anna.attended is False
    secretary_client.post(url, {"confirm_early": "1"})
    response = secretary_client.post(url, {"code": checkin_code(anna.pk)})
    assert response["Location"] == f"{url}?scan=1"
    anna.refresh_from_db()
    assert anna.attended is True
    assert "Anna Verdi (Comune di Como): presente." in secretary_client.get(response["Location"]).content.decode()
    response = secretary_client.post(url, {"code": "ANCILAB-1:falso"}, follow=True)
    assert "Codice non valido: non è un codice QR di iscrizione." in response.content.decode()
    # Other admin pages keep the camera off and WebAssembly out.
    other = secretary_client.get(reverse("admin:labs_meeting_attendance", args=[upcoming.pk]))
    assert "camera=()" in other["Permissions-Policy"]
    assert "wasm" not in other["Content-Security-Policy"]


def test_walk_in_at_the_door_full_meeting_needs_a_reason(secretary_client, secretary, started):
    RegistrationFactory(meeting=started)
    RegistrationFactory(meeting=started)
    url = reverse("admin:labs_meeting_walk_in", args=[started.pk])
    data = {f"walkin-{k}": v for k, v in person(9, first_name="Carla", last_name="Neri").items()}
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert "L&#x27;incontro è al completo: non ci sono posti liberi." in response.content.decode()
    assert not Registration.objects.filter(last_name="Neri").exists()
    response = secretary_client.post(url, {**data, "walkin-override_reason": "Sindaco arrivato senza iscrizione"})
    assert response.status_code == 302
    carla = Registration.objects.get(last_name="Neri")
    assert (carla.status, carla.attended, carla.registered_by) == ("confirmed", True, secretary)
    assert carla.override_reason == "Sindaco arrivato senza iscrizione"
    assert OutboundEmail.objects.count() == 0  # walk-ins get no email unless asked


def test_the_editorial_role_cannot_open_the_check_in(editor_client, started):
    assert editor_client.get(reverse("admin:labs_meeting_checkin", args=[started.pk])).status_code == 403
    assert editor_client.get(reverse("admin:registrations_registration_add")).status_code == 403


def test_my_registrations_link_the_qr_code_of_confirmed_places_to_come(client):
    user = get_user_model().objects.create_user(username="giulia", email="giulia@comune.example.it")
    EmailAddress.objects.create(user=user, email="giulia@comune.example.it", verified=True, primary=True)
    coming = RegistrationFactory(email="giulia@comune.example.it")
    past = RegistrationFactory(
        email="giulia@comune.example.it",
        meeting=MeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=10)),
    )
    pending = RegistrationFactory(email="giulia@comune.example.it", status=Registration.Status.PENDING)
    client.force_login(user)
    html = client.get(reverse("registrations:mine")).content.decode()
    assert f'href="{reverse("registrations:manage", args=[coming.token])}#checkin-title"' in html
    assert html.count("#checkin-title") == 1
    assert past.token and pending.token  # listed, without a QR code link
