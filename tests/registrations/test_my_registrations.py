"""Issue 12, participants' self-service: the signed-in header, "Le mie iscrizioni" (upcoming/past, actions, query
count), the link to it in every email, the receipt of a self-cancel, the confirm page of an expired hold, and the
whole-lab registration page that says what will happen to each meeting."""

from __future__ import annotations

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from labs.models import Meeting
from registrations import notifications, services
from registrations.models import OutboundEmail, Registration
from registrations.outbox import render_row
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory
from tests.security.conftest import confirm_login_code, login_code_in, request_login_code

pytestmark = pytest.mark.django_db

EMAIL = "giulia@comune.example.it"


def url(name, registration):
    return reverse(f"registrations:{name}", args=[registration.token])


def registrant(email: str = EMAIL):
    user = get_user_model().objects.create_user(username=email.partition("@")[0], email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def days(n: int) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=n)).replace(microsecond=0)


# --- Header and footer ----------------------------------------------------------------------------------------------
def test_signed_out_header_offers_accedi_and_the_footer_links_my_registrations(client):
    html = client.get(reverse("privacy")).content.decode()
    assert f'href="{reverse("account_login")}">Accedi</a>' in html
    assert f'<a class="text-white" href="{reverse("registrations:mine")}">Le mie iscrizioni</a>' in html
    assert "Esci" not in html


def test_signed_in_registrant_sees_my_registrations_and_a_logout_form(client):
    client.force_login(registrant())
    html = client.get(reverse("privacy")).content.decode()
    assert f'<a class="btn btn-primary btn-sm" href="{reverse("registrations:mine")}">Le mie iscrizioni</a>' in html
    assert re.search(rf'<form class="d-inline ms-2" method="post" action="{reverse("account_logout")}">', html)
    assert ">Esci</button>" in html
    assert "Area riservata" not in html and ">Accedi</a>" not in html
    # Esci logs out (a POST with the CSRF token, like the form).
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_signed_in_staff_keep_the_reserved_area_and_get_esci(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("privacy")).content.decode()
    assert f'href="{reverse("admin:index")}">Area riservata</a>' in html
    assert ">Esci</button>" in html
    assert 'btn-sm" href="/le-mie-iscrizioni/"' not in html


def test_the_login_page_says_registrants_get_a_code_to_see_their_registrations(client):
    html = client.get(reverse("account_login")).content.decode()
    assert (
        "Per vedere le tue iscrizioni non serve una password: chi si è iscritto riceve il codice via email e, "
        "inserendolo, trova l'elenco in «Le mie iscrizioni»."
    ) in html


def test_a_code_login_without_next_lands_on_my_registrations(client):
    registration = RegistrationFactory(email=EMAIL)
    request_login_code(client, EMAIL)
    response = confirm_login_code(client, login_code_in(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:mine")
    assert registration.meeting.title in client.get(response["Location"]).content.decode()


# --- Le mie iscrizioni ------------------------------------------------------------------------------------------------
def test_my_registrations_are_split_into_upcoming_and_past_with_their_actions(client):
    client.force_login(registrant())
    lab = LabFactory(title="Welfare")
    later = RegistrationFactory(email=EMAIL, meeting=MeetingFactory(lab=lab, title="Terzo", starts_at=days(40)))
    sooner = RegistrationFactory(
        email=EMAIL, status="waitlisted", meeting=MeetingFactory(lab=lab, title="Secondo", starts_at=days(10))
    )
    past = RegistrationFactory(email=EMAIL, meeting=MeetingFactory(lab=lab, title="Primo", starts_at=days(-10)))
    cancelled = RegistrationFactory(
        email=EMAIL, status="cancelled", meeting=MeetingFactory(lab=lab, title="Quarto", starts_at=days(50))
    )
    response = client.get(reverse("registrations:mine"))
    context = response.context
    assert [row.registration for row in context["upcoming"]] == [sooner, later, cancelled]
    assert [row.registration for row in context["past"]] == [past]
    html = response.content.decode()
    upcoming_html, past_html = html.split('id="mine-past"')
    assert upcoming_html.index("Secondo") < upcoming_html.index("Terzo") < upcoming_html.index("Quarto")
    assert "Primo" in past_html and "Primo" not in upcoming_html
    # Confirmed and upcoming: details, calendar file, cancel.
    for name in ("manage", "ics", "cancel"):
        assert url(name, later) in upcoming_html
    # Waiting list: no calendar file (not expected at the meeting), but cancel.
    assert url("ics", sooner) not in html and url("cancel", sooner) in html
    # Cancelled: details only. Past: details only (nothing to cancel, no calendar file).
    assert url("cancel", cancelled) not in html and url("ics", cancelled) not in html
    assert url("manage", past) in past_html
    assert url("cancel", past) not in html and url("ics", past) not in html
    assert '<td class="portal-registration-status">lista d&#x27;attesa</td>' in html
    assert '<td class="portal-registration-status">annullata</td>' in html


def test_my_registrations_without_any_say_so(client):
    client.force_login(registrant())
    html = client.get(reverse("registrations:mine")).content.decode()
    assert "Non risultano iscrizioni con il tuo indirizzo email." in html


@pytest.mark.parametrize("count", [1, 6])
def test_my_registrations_query_count_does_not_grow(client, django_assert_num_queries, count):
    client.force_login(registrant())
    for n in range(count):
        RegistrationFactory(email=EMAIL, meeting=MeetingFactory(starts_at=days(n - 3)))
    # session, user, the verified addresses, the registrations with meeting, lab and venue in one join.
    with django_assert_num_queries(4):
        response = client.get(reverse("registrations:mine"))
    assert len(response.context["upcoming"]) + len(response.context["past"]) == count


# --- Emails -----------------------------------------------------------------------------------------------------------
def _rendered(template: str):
    row = OutboundEmail.objects.filter(template=template).latest("pk")
    return render_row(row)


@pytest.mark.parametrize(
    ("status", "template"),
    [("pending", "confirm_address"), ("confirmed", "confirmed"), ("waitlisted", "waitlisted")],
)
def test_every_registration_email_links_to_my_registrations(settings, status, template):
    settings.SITE_URL = "https://laboratori.example.it"
    registration = RegistrationFactory(status=status, hold_expires_at=days(1) if status == "pending" else None)
    notifications.notify_status(registration, position=1)
    _subject, text, html, _attachments = _rendered(template)
    assert (
        "Tutte le tue iscrizioni, in un posto solo (accedi con un codice che ti inviamo a questo indirizzo): "
        "https://laboratori.example.it/le-mie-iscrizioni/"
    ) in text
    assert '<a href="https://laboratori.example.it/le-mie-iscrizioni/">Le mie iscrizioni</a>' in html


def test_the_waiting_list_gets_no_calendar_file(client):
    registration = RegistrationFactory(status="waitlisted")
    notifications.notify_status(registration, position=1)
    assert _rendered("waitlisted")[3] == []
    html = client.get(url("manage", registration)).content.decode()
    assert "Aggiungi al calendario (.ics)" not in html
    assert client.get(url("ics", registration)).status_code == 404


def test_a_person_cancelling_gets_one_receipt_email(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://laboratori.example.it"
    meeting = MeetingFactory(title="Co-progettazione")
    registration = RegistrationFactory(meeting=meeting, email=EMAIL, first_name="Giulia")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cancel", registration), follow=True)
    assert response.redirect_chain == [(url("manage", registration), 302)]
    # The page says it once (messages are rendered by base.html only).
    assert response.content.decode().count("La tua iscrizione è stata annullata.") == 1
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert list(OutboundEmail.objects.values_list("template", "to")) == [("registration_cancelled", EMAIL)]
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.subject == "Iscrizione annullata: Co-progettazione"
    assert receipt.body.startswith(
        "Gentile Giulia,\n\ncome hai chiesto, abbiamo annullato la tua iscrizione a questo incontro:\n"
    )
    assert "Se cambi idea puoi iscriverti di nuovo dalla pagina dell'incontro" in receipt.body
    assert "la segreteria di AnciLab" not in receipt.body
    assert "https://laboratori.example.it/le-mie-iscrizioni/" in receipt.body


def test_staff_cancelling_still_send_the_staff_wording():
    registration = RegistrationFactory()
    services.registration_cancel(registration_id=registration.pk, by_staff=True)
    assert list(OutboundEmail.objects.values_list("template", flat=True)) == ["registration_cancelled"]
    _subject, text, _html, _att = _rendered("registration_cancelled")
    assert "la segreteria di AnciLab ha annullato la tua iscrizione a questo incontro:" in text
    assert "come hai chiesto" not in text


def test_the_confirmation_message_shows_once_on_the_manage_page(client, register):
    registration = register(MeetingFactory()).registration
    html = client.post(url("confirm", registration), follow=True).content.decode()
    assert html.count("Iscrizione confermata: ti abbiamo inviato un&#x27;email con tutti i dettagli.") == 1
    assert f'<a href="{reverse("registrations:mine")}">Vedi tutte le tue iscrizioni</a>' in html


# --- Confirm page of an expired hold ----------------------------------------------------------------------------------
def test_confirm_page_of_an_expired_hold_explains_before_the_click(client, register):
    meeting = MeetingFactory(capacity=1)
    registration = register(meeting).registration
    register(meeting, 2)  # somebody waits for the seat
    Registration.objects.filter(pk=registration.pk).update(hold_expires_at=timezone.now() - datetime.timedelta(1))
    response = client.get(url("confirm", registration))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Il tempo per confermare l&#x27;indirizzo è scaduto e il posto è stato liberato. "
        "Puoi iscriverti di nuovo, se ci sono ancora posti."
    ) in html
    assert "Confermi l'iscrizione" not in html and 'method="post"' not in html.split('id="main-content"')[1]
    assert f'href="{reverse("registrations:register", args=[meeting.pk])}">Iscriviti di nuovo</a>' in html
    registration.refresh_from_db()
    assert registration.status == "pending"  # GET writes nothing


def test_confirm_page_of_a_late_hold_nobody_waits_for_says_the_seat_is_still_there(client, register):
    registration = register(MeetingFactory()).registration
    Registration.objects.filter(pk=registration.pk).update(hold_expires_at=timezone.now() - datetime.timedelta(1))
    html = client.get(url("confirm", registration)).content.decode()
    assert "Il tempo per confermare è scaduto il" in html
    assert "ma nessuno è in lista d'attesa: se confermi ora il posto è ancora tuo." in html
    assert ">Conferma l'iscrizione</button>" in html
    client.post(url("confirm", registration))
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_confirm_page_of_an_expired_registration_explains_before_the_click(client, register):
    registration = register(MeetingFactory()).registration
    Registration.objects.filter(pk=registration.pk).update(status="expired", hold_expires_at=None)
    html = client.get(url("confirm", registration)).content.decode()
    assert "Il tempo per confermare l&#x27;indirizzo è scaduto e il posto è stato liberato." in html
    assert ">Conferma l'iscrizione</button>" not in html


# --- Whole-lab registration -------------------------------------------------------------------------------------------
def test_register_lab_says_what_happens_to_each_meeting(client, django_assert_max_num_queries):
    lab = LabFactory()
    free = MeetingFactory(lab=lab, title="Libero", capacity=5, starts_at=days(5))
    full = MeetingFactory(lab=lab, title="Pieno", capacity=1, starts_at=days(6))
    RegistrationFactory(meeting=full)
    reserved = MeetingFactory(
        lab=lab, title="Riservato", starts_at=days(7), audience=Meeting.Audience.PUBLIC_ADMINISTRATIONS
    )
    later = MeetingFactory(lab=lab, title="Non ancora", starts_at=days(30), registration_opens_at=days(20))
    MeetingFactory(lab=lab, title="Passato", starts_at=days(-5))
    response = client.get(reverse("registrations:register_lab", args=[lab.slug]))
    preview = response.context["preview"]
    assert [(row.meeting, row.state) for row in preview] == [
        (free, "seat"),
        (full, "waitlist"),
        (reserved, "seat"),
        (later, "closed"),
    ]
    html = response.content.decode()
    assert "Passato" not in html
    assert '<span class="badge bg-success">ti iscrivi</span> 5 posti disponibili' in html
    assert "Posti esauriti: entri in lista d'attesa e ti scriviamo se si libera un posto." in html
    assert "Riservato alle pubbliche amministrazioni: se il tuo ente non lo è, questo incontro viene saltato." in html
    assert "questo incontro non è compreso." in html
    assert 'id="id_email"' in html  # the form is there


def test_register_lab_with_no_open_meeting_says_so(client):
    lab = LabFactory()
    MeetingFactory(lab=lab, starts_at=days(30), registration_opens_at=days(20))
    html = client.get(reverse("registrations:register_lab", args=[lab.slug])).content.decode()
    assert "Questo laboratorio non ha incontri in programma a cui iscriversi." in html
    assert 'id="id_email"' not in html
