"""Public registration pages: the form, what the person reads after submitting, and every refusal."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from labs.models import Meeting
from registrations import outbox
from registrations.models import OrganizationType, OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory

from .conftest import person

pytestmark = pytest.mark.django_db


def form(n: int = 1, **overrides) -> dict:
    data = person(n, **overrides)
    data["privacy"] = "on"
    return {key: value for key, value in data.items() if value is not False}


def post(client, meeting, data, follow=True):
    return client.post(reverse("registrations:register", args=[meeting.pk]), data, follow=follow)


def test_the_form_has_every_field_the_datalist_and_the_honeypot(client):
    meeting = MeetingFactory(capacity=12)
    response = client.get(reverse("registrations:register", args=[meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("first_name", "last_name", "email", "organization", "organization_type", "role", "privacy"):
        assert f'name="{name}"' in html
        assert f'for="id_{name}"' in html
    assert 'list="comuni-lombardi"' in html
    assert '<option value="Comune di Bergamo">BG</option>' in html
    assert html.count('<option value="Comune di ') == 1502
    assert "Dichiaro di aver letto l&#x27;informativa privacy" in html
    assert 'type="checkbox" id="id_newsletter_consent" name="newsletter_consent" class="form-check-input">' in html
    assert '<div class="d-none">' in html and 'name="website"' in html and 'tabindex="-1"' in html
    assert "Restano 12 posti." in html
    assert "csrfmiddlewaretoken" in html


def test_a_successful_registration_tells_the_person_to_check_their_email(client, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, meeting, form(1))
    registration = Registration.objects.get()
    until = date_format(timezone.localtime(registration.hold_expires_at), "DATETIME_FORMAT")
    assert response.redirect_chain == [(reverse("registrations:result"), 302)]
    assert (
        "Quasi fatto: ti abbiamo inviato un&#x27;email all&#x27;indirizzo persona1@comune.example.it. Apri il link "
        f"che contiene per confermare l&#x27;iscrizione: il posto è riservato per te fino al {until}."
    ) in response.content.decode()
    assert registration.token not in response.content.decode()  # the token only travels by email
    assert [m.subject for m in mail.outbox] == [f"Conferma la tua iscrizione: {meeting.title}"]
    assert registration.privacy_acknowledged_at is not None
    assert registration.newsletter_consent is False


def test_the_result_page_tells_a_waitlisted_person_their_position(client):
    meeting = MeetingFactory(capacity=1)
    post(client, meeting, form(1))
    response = post(client, meeting, form(2))
    assert (
        "I posti sono esauriti: sei in lista d&#x27;attesa, in posizione 1. Se si libera un posto ti iscriviamo "
        "automaticamente, nell&#x27;ordine di arrivo, e ti scriviamo all&#x27;indirizzo persona2@comune.example.it."
    ) in response.content.decode()


def test_the_result_page_of_a_confirmed_registration(client):
    meeting = MeetingFactory(requires_confirmation=False)
    response = post(client, meeting, form(1))
    assert (
        "Iscrizione confermata. Ti abbiamo inviato un&#x27;email all&#x27;indirizzo persona1@comune.example.it con "
        "i dettagli dell&#x27;incontro."
    ) in response.content.decode()


def test_a_duplicate_submission_gets_the_neutral_answer_and_the_email_resent(client):
    # Anybody can type anybody's address: the page says what a newcomer would read (tests/security).
    meeting = MeetingFactory()
    post(client, meeting, form(1))
    response = post(client, meeting, form(1))
    assert "già iscritto" not in response.content.decode()
    assert (
        "Quasi fatto: ti abbiamo inviato un&#x27;email all&#x27;indirizzo persona1@comune.example.it. Apri il link "
    ) in response.content.decode()
    assert Registration.objects.count() == 1
    assert OutboundEmail.objects.count() == 2


def test_missing_fields_get_italian_errors_with_bootstrap_italia_markup(client):
    meeting = MeetingFactory()
    response = post(client, meeting, {"email": "non-una-email"})
    html = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Scrivi il tuo nome.",
        "Scrivi il tuo cognome.",
        "Scrivi un indirizzo email valido, per esempio nome.cognome@comune.esempio.it.",
        "Scrivi il nome del tuo ente.",
        "Scegli il tipo di ente.",
        "Per iscriverti dichiara di aver letto l&#x27;informativa privacy.",
    ):
        assert message in html
    assert 'class="form-control is-invalid"' in html
    assert '<div class="invalid-feedback" id="id_first_name-error">Scrivi il tuo nome.</div>' in html
    assert 'aria-describedby="id_first_name-help id_first_name-error"' in html
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cancelled": True}, "Questo incontro è stato annullato: non è possibile iscriversi."),
        (
            {"starts_at": timezone.now() - datetime.timedelta(hours=2), "ends_at": None},
            "Questo incontro si è già svolto: non è più possibile iscriversi.",
        ),
        (
            {"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)},
            "Le iscrizioni a questo incontro sono chiuse.",
        ),
        (
            {"starts_at": None, "ends_at": None, "venue": None},
            "La data di questo incontro non è ancora stata fissata: le iscrizioni non sono ancora aperte.",
        ),
    ],
)
def test_a_closed_meeting_shows_why_instead_of_the_form(client, changes, message):
    meeting = MeetingFactory(**changes)
    get = client.get(reverse("registrations:register", args=[meeting.pk])).content.decode()
    assert message.replace("'", "&#x27;") in get
    assert 'name="first_name"' not in get
    # A POST anyway (an old tab) gets the same sentence, and nothing is saved.
    assert message.replace("'", "&#x27;") in post(client, meeting, form(1)).content.decode()
    assert Registration.objects.count() == 0


def test_an_ineligible_body_is_refused_on_the_form(client):
    meeting = MeetingFactory(audience=Meeting.Audience.PUBLIC_ADMINISTRATIONS)
    html = post(client, meeting, form(1, organization_type=OrganizationType.TERZO_SETTORE)).content.decode()
    assert (
        "Questo incontro è riservato alle pubbliche amministrazioni (Comuni, Province, Unioni di comuni, Regione e "
        "altri enti pubblici): il tipo di ente indicato non è ammesso."
    ) in html
    assert Registration.objects.count() == 0


def test_the_honeypot_stops_bots(client):
    meeting = MeetingFactory()
    html = post(client, meeting, {**form(1), "website": "http://spam.example"}).content.decode()
    assert "Non è stato possibile inviare il modulo. Riprova." in html
    assert Registration.objects.count() == 0


def test_csrf_is_enforced():
    meeting = MeetingFactory()
    response = Client(enforce_csrf_checks=True).post(reverse("registrations:register", args=[meeting.pk]), form(1))
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_rate_limit_per_ip(client, settings):
    settings.REGISTRATION_RATE_LIMIT_IP = "2/h"
    meeting = MeetingFactory()
    post(client, meeting, form(1))
    post(client, meeting, form(2))
    response = post(client, meeting, form(3))
    assert response.status_code == 429
    assert "Sono arrivate troppe richieste di iscrizione dalla tua rete. Riprova tra un&#x27;ora." in (
        response.content.decode()
    )
    assert Registration.objects.count() == 2


def test_rate_limit_per_email(client, settings):
    settings.REGISTRATION_RATE_LIMIT_EMAIL = "1/h"
    meeting, other = MeetingFactory(), MeetingFactory()
    post(client, meeting, form(1))
    response = post(client, other, form(1))
    assert response.status_code == 429
    assert (
        "Sono arrivate troppe richieste di iscrizione per questo indirizzo email. Riprova tra un&#x27;ora."
        in response.content.decode()
    )


def test_rate_limits_can_be_lifted_and_a_cache_outage_fails_open(client, settings, monkeypatch):
    settings.REGISTRATION_RATE_LIMIT_IP = "1/h"
    meeting = MeetingFactory()

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr("django.core.cache.cache.add", broken)
    post(client, meeting, form(1))
    post(client, meeting, form(2))
    settings.REGISTRATION_RATE_LIMIT_IP = "off"
    post(client, meeting, form(3))
    assert Registration.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_meeting_locked_too_long_gets_a_friendly_retry_message(postgres_only, client, settings):
    settings.REGISTRATION_LOCK_TIMEOUT_MS = 100
    meeting = MeetingFactory()
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        with transaction.atomic():
            Meeting.objects.select_for_update().get(pk=meeting.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    locked.wait(5)
    try:
        response = post(client, meeting, form(1))
    finally:
        release.set()
        holder.join()
    assert response.status_code == 503
    assert (
        "In questo momento molte persone si stanno iscrivendo: riprova tra qualche istante."
        in response.content.decode()
    )
    assert Registration.objects.count() == 0


def test_lab_form_registers_to_every_upcoming_meeting(client):
    lab = LabFactory()
    first, second = MeetingFactory(lab=lab), MeetingFactory(lab=lab, requires_confirmation=False)
    url = reverse("registrations:register_lab", args=[lab.slug])
    get = client.get(url).content.decode()
    assert first.title in get and second.title in get
    html = client.post(url, form(1), follow=True).content.decode()
    assert sorted(Registration.objects.values_list("meeting_id", "status")) == [
        (first.pk, "pending"),
        (second.pk, "confirmed"),
    ]
    assert "Quasi fatto: ti abbiamo inviato" in html and "Iscrizione confermata." in html


def test_lab_form_without_upcoming_meetings(client):
    lab = LabFactory()
    html = client.get(reverse("registrations:register_lab", args=[lab.slug])).content.decode()
    assert "Questo laboratorio non ha incontri in programma a cui iscriversi." in html


def test_an_unpublished_lab_meeting_is_not_found(client):
    meeting = MeetingFactory(lab=LabFactory(published=False))
    assert client.get(reverse("registrations:register", args=[meeting.pk])).status_code == 404


def test_the_form_in_english_sends_english_links(client):
    meeting = MeetingFactory()
    response = client.post(f"/en/incontri/{meeting.pk}/iscrizione/", form(1))
    assert response.status_code == 302
    assert Registration.objects.get().language == "en"
    assert "/en/iscrizioni/" in outbox.render_row(OutboundEmail.objects.get())[1]


@pytest.mark.parametrize("status", ["pending", "waitlisted"])
def test_a_registration_costs_a_fixed_number_of_queries(status, django_assert_num_queries):
    # A person who has just loaded the form (no session yet). Meeting (published), then in the locked transaction
    # (2 savepoint statements here, BEGIN/COMMIT in production): lock timeout (PostgreSQL), the meeting row, one
    # aggregate (seats, waiting list, overdue holds, same address), insert + history, the waiting-list position when
    # waitlisted, the outbox row. No session: the outcome travels in a signed cookie (registrations/outcomes.py).
    # The same whatever the number of registrations already there.
    meeting = MeetingFactory(capacity=3 if status == "pending" else 2)
    for n in range(1, 3):
        Client().post(reverse("registrations:register", args=[meeting.pk]), form(n))
    expected = {"pending": 8, "waitlisted": 9}[status]
    expected += 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(expected):
        response = Client().post(reverse("registrations:register", args=[meeting.pk]), form(9))
    assert response.status_code == 302
    assert Registration.objects.get(email="persona9@comune.example.it").status == status
    assert "sessionid" not in response.cookies


def test_the_result_page_reads_a_signed_cookie_and_refuses_a_forged_one(client):
    meeting = MeetingFactory()
    response = client.post(reverse("registrations:register", args=[meeting.pk]), form(1))
    cookie = response.cookies["registration_outcome"]
    assert (cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (True, "Lax", 3600)
    page = client.get(reverse("registrations:result")).content.decode()
    assert "persona1@comune.example.it" in page
    client.cookies["registration_outcome"] = cookie.value[:-2] + "xx"
    assert client.get(reverse("registrations:result")).url == reverse("home")
