"""Finding 1 (account pre-takeover) and the allauth parts of findings 4 and 5 (Host in emails, enumeration, caps).

The two attack paths of the report are replayed with two clients: the attacker's browser and the victim's.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import RegistrationFactory

from .conftest import confirm_login_code, login_code_in, request_login_code

pytestmark = pytest.mark.django_db
User = get_user_model()

VICTIM = "vittima@comune.example.it"
ATTACKER = "attaccante@example.org"


def _mine(client) -> str:
    response = client.get(reverse("registrations:mine"))
    return response.content.decode() if response.status_code == 200 else f"redirect:{response['Location']}"


def test_attack_path_1_signup_with_the_victims_address_is_refused():
    RegistrationFactory(email=VICTIM, first_name="Vera", last_name="Vittima")
    attacker = Client()
    response = attacker.post(reverse("account_signup"), {"email": VICTIM})
    assert not User.objects.filter(email__iexact=VICTIM).exists()
    assert not EmailAddress.objects.filter(email__iexact=VICTIM).exists()
    assert response.status_code == 200
    assert "Le iscrizioni al sito non sono aperte" in response.content.decode()
    assert "_auth_user_id" not in attacker.session


def test_attack_path_1_replayed_an_account_made_before_the_fix_loses_its_sessions_when_the_victim_signs_in():
    """An attacker account created before signup was closed, holding the victim's unverified address, with a live
    session: the victim's code login verifies the address and ends every other session of that account."""
    registration = RegistrationFactory(email=VICTIM, first_name="Vera", last_name="Vittima")
    squatter = User.objects.create_user("squatter", VICTIM)
    EmailAddress.objects.create(user=squatter, email=VICTIM, verified=False, primary=True)
    attacker, victim = Client(), Client()
    attacker.force_login(squatter)
    assert "Vittima" not in _mine(attacker)  # unverified: nothing shown yet

    request_login_code(victim, VICTIM)
    assert [m.to for m in mail.outbox] == [[VICTIM]]
    confirm_login_code(victim, login_code_in(mail.outbox[0]))

    assert registration.meeting.title in _mine(victim)
    # The attacker's session is over: the page asks them to log in, it does not show the victim's registration.
    assert _mine(attacker).startswith("redirect:/account/login/")
    assert not squatter.__class__.objects.get(pk=squatter.pk).has_usable_password()


def test_attack_path_2_adding_the_victims_address_to_an_own_account_is_refused():
    RegistrationFactory(email=VICTIM)
    own = User.objects.create_user("attaccante", ATTACKER)
    EmailAddress.objects.create(user=own, email=ATTACKER, verified=True, primary=True)
    attacker, victim = Client(), Client()
    attacker.force_login(own)
    attacker.post(reverse("account_email"), {"email": VICTIM, "action_add": ""})
    assert list(EmailAddress.objects.filter(user=own).values_list("email", flat=True)) == [ATTACKER]

    request_login_code(victim, VICTIM)
    confirm_login_code(victim, login_code_in(mail.outbox[0]))
    victim_user = User.objects.get(pk=victim.session["_auth_user_id"])
    assert victim_user != own
    assert "Vittima" not in _mine(attacker) and "persona" not in _mine(attacker)


def test_a_registrant_without_an_account_signs_in_by_code_to_their_registrations():
    registration = RegistrationFactory(email="Giulia.Rossi@Comune.Example.it")
    client = Client()
    response = request_login_code(client, "giulia.rossi@comune.example.it")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    confirm_login_code(client, login_code_in(mail.outbox[0]))
    html = _mine(client)
    assert registration.meeting.title in html
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("giulia.rossi@comune.example.it", True)
    ]
    assert not user.has_usable_password() and not user.is_staff


def test_an_address_with_no_registration_gets_the_same_answer_and_no_email_and_no_account():
    RegistrationFactory(email=VICTIM)
    known = request_login_code(Client(), VICTIM)
    sent_to_known = len(mail.outbox)
    unknown = request_login_code(Client(), "nessuno@example.org")
    assert sent_to_known == 1
    assert mail.outbox == []
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert not User.objects.filter(email="nessuno@example.org").exists()


def test_login_codes_are_capped_per_address_per_day(settings):
    settings.ACCOUNT_RATE_LIMITS = False  # isolate the daily cap from allauth's per-minute limit
    settings.LOGIN_CODE_EMAILS_PER_DAY = 3
    RegistrationFactory(email=VICTIM)
    sent = 0
    for _ in range(5):
        request_login_code(Client(), VICTIM)
        sent += len(mail.outbox)
    assert sent == 3


def test_allauth_emails_take_the_site_url_and_name_not_the_request_host(settings):
    settings.SITE_URL = "https://lab.ancilombardia.example"
    settings.SITE_NAME = "AnciLab"
    RegistrationFactory(email=VICTIM)
    Client().post(reverse("account_login"), {"login": VICTIM}, HTTP_HOST="127.0.0.1:31337")
    [message] = mail.outbox
    assert message.subject.startswith("[AnciLab] ")
    assert "31337" not in message.subject + message.body
    staff = User.objects.create_user("staff", "staff@ancilab.example.it", is_staff=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    mail.outbox.clear()
    Client().post(reverse("account_reset_password"), {"email": staff.email}, HTTP_HOST="127.0.0.1:31337")
    [reset] = mail.outbox
    assert "31337" not in reset.subject + reset.body
    assert "https://lab.ancilombardia.example/account/password/reset/key/" in reset.body


def test_signup_answers_the_same_for_a_staff_address_and_an_unknown_one():
    User.objects.create_user("capo", "capo@ancilab.example.it", is_staff=True)
    staff = Client().post(reverse("account_signup"), {"email": "capo@ancilab.example.it"})
    other = Client().post(reverse("account_signup"), {"email": "chiunque@example.org"})
    assert "già registrato" not in staff.content.decode()
    assert staff.status_code == other.status_code
    assert _neutral(staff, "capo@ancilab.example.it") == _neutral(other, "chiunque@example.org")


def _neutral(response, email: str) -> str:
    html = response.content.decode().replace(email, "X")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_login_page_offers_no_signup_and_says_who_gets_a_code(client):
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in html
    assert "Scrivi il tuo indirizzo email (quello con cui ti sei iscritto/a a un incontro" in html
    assert reverse("account_request_login_code") not in html  # the form itself sends the code: one button


def test_an_address_verified_on_one_account_is_never_verified_on_another():
    owner = User.objects.create_user("vera", VICTIM)
    EmailAddress.objects.create(user=owner, email=VICTIM, verified=True, primary=True)
    squatter = User.objects.create_user("squatter", "altro@example.org")
    squatted = EmailAddress.objects.create(user=squatter, email=VICTIM, verified=False, primary=False)
    attacker, victim = Client(), Client()
    attacker.force_login(squatter)
    request_login_code(victim, VICTIM)
    confirm_login_code(victim, login_code_in(mail.outbox[0]))
    # The code login lands in the account where the address is verified, and the other copy stays unverified.
    assert int(victim.session["_auth_user_id"]) == owner.pk
    squatted.refresh_from_db()
    assert squatted.verified is False
    assert squatted.set_verified() is False


def test_the_login_code_email_speaks_the_portals_words(settings):
    """allauth's "Hello from … / Thank you for using …" base is replaced (templates/account/email/): the code on its
    own line, what it is for, and the footer of the registration emails."""
    settings.SITE_URL = "https://lab.ancilombardia.example"
    settings.CONTACT_EMAIL = "laboratori@ancilab.it"
    RegistrationFactory(email=VICTIM)
    Client().post(reverse("account_login"), {"login": VICTIM})
    [message] = mail.outbox
    assert message.subject == "[AnciLab] Il tuo codice di accesso"
    lines = message.body.splitlines()
    assert lines[0] == "Ecco il codice per accedere: scrivilo nella pagina che hai aperto per chiederlo."
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", lines[2])
    assert lines[-2:] == [
        "AnciLab – ANCI Lombardia, Via Rovello 2, 20121 Milano · laboratori@ancilab.it",
        "https://lab.ancilombardia.example",
    ]
    assert "Hello" not in message.body and "Ciao da" not in message.body
