"""The client address behind a reverse proxy (core/clientip.py): read from X-Forwarded-For only when the peer is a
trusted proxy, and the same address seen by the registration limiter, allauth's rate limits and django-axes."""

from __future__ import annotations

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import get_ip as allauth_rate_limit_ip
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from django.urls import reverse

from core.clientip import client_ip, is_trusted_proxy
from registrations.models import Registration
from tests.factories import MeetingFactory
from tests.registrations.test_views import form, post
from tests.support.totp import activate_totp_for_tests, current_totp_code

PROXY = "172.31.253.254"
CLIENT = "203.0.113.10"


def request_from(remote: str, forwarded_for: str | None = None, **extra):
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def test_without_a_trusted_proxy_the_peer_is_the_client_whatever_the_headers_say(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from(CLIENT, "198.51.100.1")) == CLIENT


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(behind_proxy):
    assert client_ip(request_from(CLIENT, "198.51.100.1, 172.31.253.254")) == CLIENT


def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended(behind_proxy):
    assert client_ip(request_from(PROXY, CLIENT)) == CLIENT


def test_addresses_the_client_wrote_left_of_the_proxys_are_ignored(behind_proxy):
    assert client_ip(request_from(PROXY, f"198.51.100.1, 10.0.0.1, {CLIENT}")) == CLIENT


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16", PROXY]
    assert client_ip(request_from(PROXY, f"198.51.100.1, {CLIENT}, 10.1.2.3")) == CLIENT


def test_the_proxy_itself_is_the_client_when_it_names_nobody(behind_proxy):
    assert client_ip(request_from(PROXY)) == PROXY
    assert client_ip(request_from(PROXY, "")) == PROXY


def test_a_garbage_hop_stops_at_the_last_address_a_trusted_proxy_vouched_for(settings):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    assert client_ip(request_from("10.1.0.1", f"{CLIENT}, not-an-ip, 10.1.0.2")) == "10.1.0.2"


def test_ipv6_and_ipv4_mapped_addresses(settings):
    settings.TRUSTED_PROXIES = ["fd00::/8"]
    assert client_ip(request_from("fd00::2", "2001:db8::7")) == "2001:db8::7"
    assert client_ip(request_from("fd00::2", "[2001:db8::7]:4711")) == "2001:db8::7"
    assert client_ip(request_from("::ffff:203.0.113.10")) == CLIENT
    assert is_trusted_proxy("fd00::2") is True
    assert is_trusted_proxy("2001:db8::7") is False


def test_a_typo_in_trusted_proxies_fails_loudly(settings):
    settings.TRUSTED_PROXIES = ["172.31.253.300"]
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES: '172.31.253.300' is not an IP address"):
        client_ip(request_from(CLIENT))


def test_allauth_and_axes_read_the_same_address(behind_proxy):
    trusted = request_from(PROXY, f"198.51.100.1, {CLIENT}")
    spoofed = request_from(CLIENT, "198.51.100.1")
    assert get_adapter().get_client_ip(trusted) == CLIENT
    assert allauth_rate_limit_ip(trusted) == CLIENT
    assert get_client_ip_address(trusted) == CLIENT
    assert get_adapter().get_client_ip(spoofed) == CLIENT
    assert allauth_rate_limit_ip(spoofed) == CLIENT
    assert get_client_ip_address(spoofed) == CLIENT


# --- Through the middleware stack ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_https_is_believed_only_from_the_trusted_proxy(client, behind_proxy):
    behind_proxy.SECURE_SSL_REDIRECT = True
    direct = client.get("/privacy/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301
    assert direct["Location"] == "https://testserver/privacy/"
    proxied = client.get("/privacy/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


@pytest.mark.django_db
def test_the_registration_limit_counts_each_person_behind_the_proxy(behind_proxy):
    """Issue 13: behind nginx the 21st different person of the hour got 429, every visitor had the proxy's address."""
    behind_proxy.REGISTRATION_RATE_LIMIT_IP = "2/h"
    meeting = MeetingFactory(capacity=50)
    for n in range(1, 5):
        response = post(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"), meeting, form(n))
        assert response.status_code == 200
    assert Registration.objects.count() == 4
    # Each person is still limited (203.0.113.1 registered once above), and cannot escape the limit by writing an
    # X-Forwarded-For of their own: the proxy appends the real address after it.
    same_person = [
        post(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.1"), meeting, form(n))
        for n in range(5, 8)
    ]
    assert [response.status_code for response in same_person] == [200, 429, 429]
    assert Registration.objects.count() == 5


@pytest.mark.django_db
def test_a_spoofed_header_cannot_escape_the_registration_limit(behind_proxy):
    behind_proxy.REGISTRATION_RATE_LIMIT_IP = "2/h"
    meeting = MeetingFactory(capacity=50)
    statuses = [
        post(Client(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"), meeting, form(n)).status_code
        for n in range(1, 4)
    ]
    assert statuses == [200, 200, 429]
    assert Registration.objects.count() == 2


@pytest.mark.django_db
def test_axes_locks_out_the_person_behind_the_proxy_not_the_proxy(behind_proxy):
    """Issue 13: one staff member's wrong TOTP codes locked every staff member out, all had the proxy's address."""
    behind_proxy.ACCOUNT_RATE_LIMITS = False  # isolate axes from allauth's own limit (same threshold)
    user = User.objects.create_superuser("capo", "capo@ancilab.example.it", "una-password-lunga-1")
    secret = activate_totp_for_tests(user)
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)
    client.post(reverse("account_login"), {"login": user.email})
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.MULTILINE).group(1)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    wrong = "000000" if current_totp_code(secret) != "000000" else "111111"
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        client.post(reverse("mfa_authenticate"), {"code": wrong})
    attempt = AccessAttempt.objects.get()
    assert (attempt.ip_address, attempt.username) == (CLIENT, user.email)
    # A colleague behind the same proxy, from another address, can still start a login.
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.77")
    User.objects.create_superuser("vice", "vice@ancilab.example.it", "un-altra-password-lunga-2")
    response = colleague.post(reverse("account_login"), {"login": "vice@ancilab.example.it"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
