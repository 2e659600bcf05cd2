"""Self-service pages reached from the emails: manage, confirm, cancel; "Le mie iscrizioni". The .ics: test_ics.py."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from labs.models import Meeting
from registrations import selectors, services
from registrations.models import OutboundEmail, Registration
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/segreto-123"


def url(name, registration):
    return reverse(f"registrations:{name}", args=[registration.token])


def test_manage_page_of_a_pending_registration_hides_the_link(client, register, django_assert_num_queries):
    meeting = MeetingFactory(format=Meeting.Format.ONLINE, venue=None)
    registration = register(meeting).registration
    with django_assert_num_queries(1):  # registration, meeting, lab and venue in one join
        response = client.get(url("manage", registration))
    html = response.content.decode()
    assert "in attesa di conferma" in html
    assert SECRET not in html
    assert "Il link per partecipare online compare qui quando l'iscrizione è confermata." in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_confirm_link_shows_a_button_and_only_post_confirms(client, register):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID)
    registration = register(meeting, attendance_mode="online").registration
    # A mail scanner following the link (GET) confirms nothing.
    html = client.get(url("confirm", registration)).content.decode()
    assert "Confermi l'iscrizione con l'indirizzo persona1@comune.example.it?" in html
    registration.refresh_from_db()
    assert registration.status == "pending"
    response = client.post(url("confirm", registration), follow=True)
    html = response.content.decode()
    assert "Iscrizione confermata: ti abbiamo inviato un&#x27;email con tutti i dettagli." in html
    assert f'<a href="{SECRET}" rel="noreferrer noopener">{SECRET}</a>' in html
    assert '<span id="registration-status">confermata</span>' in html
    assert list(OutboundEmail.objects.order_by("pk").values_list("template", flat=True)) == [
        "confirm_address",
        "confirmed",
    ]


def test_confirm_link_of_a_cancelled_registration_explains(client, register):
    registration = register(MeetingFactory()).registration
    services.registration_cancel(registration_id=registration.pk)
    response = client.post(url("confirm", registration))
    assert response.status_code == 409
    assert "Questa iscrizione è stata annullata." in response.content.decode()


def test_cancel_asks_then_frees_the_seat_for_the_waiting_list(client, register):
    meeting = MeetingFactory(capacity=1)
    first = register(meeting, 1).registration
    second = register(meeting, 2).registration
    html = client.get(url("cancel", first)).content.decode()
    assert "Vuoi davvero annullare la tua iscrizione?" in html
    response = client.post(url("cancel", first), follow=True)
    assert "La tua iscrizione è stata annullata. Grazie per averci avvisato." in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "pending")
    assert OutboundEmail.objects.filter(to=second.email, template="promoted").count() == 1


def test_cancelling_twice_is_harmless(client, register):
    registration = register(MeetingFactory()).registration
    client.post(url("cancel", registration))
    response = client.post(url("cancel", registration), follow=True)
    assert "Questa iscrizione non è attiva: non c&#x27;è niente da annullare." in response.content.decode()


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("registrations:manage", args=["x" * 43])).status_code == 404


def test_seats_left_in_one_query(django_assert_num_queries):
    full = MeetingFactory(capacity=2)
    RegistrationFactory.create_batch(2, meeting=full, status="confirmed")
    some = MeetingFactory(capacity=5)
    RegistrationFactory(meeting=some, status="pending")
    RegistrationFactory(meeting=some, status="cancelled")
    RegistrationFactory(meeting=some, status="waitlisted")
    unlimited = MeetingFactory(capacity=None)
    with django_assert_num_queries(1):
        seats = selectors.seats_left_by_meeting([full.pk, some.pk, unlimited.pk])
    assert seats == {full.pk: 0, some.pk: 4, unlimited.pk: None}


def test_my_registrations_lists_those_of_verified_addresses_only(client):
    user = get_user_model().objects.create_user(username="giulia", email="giulia@comune.example.it")
    EmailAddress.objects.create(user=user, email="giulia@comune.example.it", verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="altro@comune.example.it", verified=False, primary=False)
    mine = RegistrationFactory(email="Giulia@Comune.Example.IT", status="confirmed")
    RegistrationFactory(email="altro@comune.example.it")
    RegistrationFactory(email="qualcun.altro@comune.example.it")
    client.force_login(user)
    html = client.get(reverse("registrations:mine")).content.decode()
    assert mine.meeting.title in html
    assert html.count(f'href="{reverse("registrations:manage", args=[mine.token])}"') == 1
    assert reverse("registrations:cancel", args=[mine.token]) in html
    assert "Per vedere le iscrizioni fatte con altro@comune.example.it esci e accedi di nuovo" in html


def test_my_registrations_needs_a_login(client):
    response = client.get(reverse("registrations:mine"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_login_page_renders_inside_the_portal_layout(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'class="it-header-wrapper"' in html
    assert 'id="main-content"' in html


def test_registration_status_label(register):
    registration = register(MeetingFactory()).registration
    assert Registration.objects.get(pk=registration.pk).get_status_display() == "in attesa di conferma"
