"""Staff sign-in: the admin login is allauth's (rate limit, TOTP), staff must have TOTP, axes counts allauth failures,
and every staff edit leaves a history row with who and what changed."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from tests.factories import LabFactory
from tests.support.totp import activate_totp_for_tests, current_totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "una-password-lunga-1"


@pytest.fixture
def staff_with_totp(db) -> tuple[User, str]:
    user = User.objects.create_superuser("capo", "capo@ancilab.example.it", PASSWORD)
    return user, activate_totp_for_tests(user)


def test_the_admin_login_page_sends_to_allauth_with_next(client):
    response = client.get(reverse("admin:login") + "?next=/admin/labs/lab/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=%2Fadmin%2Flabs%2Flab%2F"
    # Django's own admin form is never shown, so it cannot be used to skip the second factor.
    assert client.post(reverse("admin:login"), {"username": "capo", "password": PASSWORD}).status_code == 302
    assert "_auth_user_id" not in client.session


def _request_login_code(client, email: str, next_url: str = "") -> str:
    """Step 1 of allauth's passwordless login (the portal has no passwords): the code arrives by email."""
    mail.outbox.clear()
    data = {"login": email} | ({"next": next_url} if next_url else {})
    response = client.post(reverse("account_login"), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE).group(1)


def _confirm_login_code(client, code: str, next_url: str = ""):
    return client.post(reverse("account_confirm_login_code"), {"code": code} | ({"next": next_url} if next_url else {}))


def test_staff_login_asks_the_email_code_then_the_totp_code_then_opens_the_admin(client, staff_with_totp):
    user, secret = staff_with_totp
    code = _request_login_code(client, user.email, reverse("admin:index"))
    response = _confirm_login_code(client, code, reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302  # not logged in yet
    wrong = "000000" if current_totp_code(secret) != "000000" else "111111"
    assert client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert "Cruscotto" in client.get(reverse("admin:index")).content.decode()


def test_staff_without_totp_is_sent_to_set_it_up(client):
    # Like every portal account, no password (allauth login by code).
    user = User.objects.create_user("nuovo", "nuovo@ancilab.example.it", is_staff=True)
    code = _request_login_code(client, user.email)
    response = _confirm_login_code(client, code)
    assert response.status_code == 302  # no second factor yet: the email code is enough to log in
    response = client.get(reverse("admin:labs_lab_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") + "?next=%2Fadmin%2Flabs%2Flab%2F"
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa_activate_totp"))  # every page
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "Per accedere all&#x27;area riservata attiva l&#x27;autenticazione a due fattori" in setup.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


def test_non_staff_users_are_not_asked_for_totp(client):
    User.objects.create_user("iscritto", "iscritto@example.it")
    code = _request_login_code(client, "iscritto@example.it")
    _confirm_login_code(client, code)
    assert client.get(reverse("home")).status_code == 200


def test_wrong_totp_codes_count_in_axes_and_lock_out(client, staff_with_totp, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # isolate axes from allauth's own limit (same threshold)
    user, secret = staff_with_totp
    code = _request_login_code(client, user.email)
    _confirm_login_code(client, code)
    wrong = "000000" if current_totp_code(secret) != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200
    assert client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 429
    attempt = AccessAttempt.objects.get()
    assert attempt.username == user.email
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    # Locked: even the right code is refused now, and so is a new login.
    assert client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)}).status_code == 429
    assert client.post(reverse("account_login"), {"login": user.email}).status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


def test_allauth_rate_limit_stops_totp_guessing(client, staff_with_totp, settings):
    settings.AXES_ENABLED = False
    user, secret = staff_with_totp
    code = _request_login_code(client, user.email)
    _confirm_login_code(client, code)
    wrong = "000000" if current_totp_code(secret) != "000000" else "111111"
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": wrong})
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert "Troppi tentativi" in response.content.decode() or "Too many" in response.content.decode()


def test_a_staff_edit_is_in_the_history_with_author_and_diff(admin_client, admin_user):
    lab = LabFactory(title="Titolo vecchio")
    data = {
        "title": "Titolo nuovo",
        "slug": lab.slug,
        "edition_year": lab.edition_year,
        "description": lab.description,
        "organizer": lab.organizer,
        "published": "on",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:labs_lab_change", args=[lab.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = lab.history.first()
    assert record.history_user == admin_user
    assert record.history_type == "~"
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("title", "Titolo vecchio", "Titolo nuovo")]
    page = admin_client.get(reverse("admin:labs_lab_history", args=[lab.pk])).content.decode()
    assert "Titolo vecchio" in page and "Titolo nuovo" in page
    assert admin_user.username in page


def test_staff_activates_totp_then_reaches_the_admin(client):
    user = User.objects.create_user("nuovo", "nuovo@ancilab.example.it", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("mfa_activate_totp"))
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(reverse("admin:index")).status_code == 200
    # allauth's 2FA page (templates/mfa/index.html override) leads staff on to the admin.
    assert f'href="{reverse("admin:index")}"' in client.get(reverse("mfa_index")).content.decode()
