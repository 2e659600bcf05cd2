"""Security headers and cookies of public pages, with production-like settings where they depend on them
(core/security.py adds CSP and Permissions-Policy; Django's SecurityMiddleware the rest)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "labs:list", "projects:list", "publications:list", "publications:article_list"]
NONCE_RE = re.compile(r"'nonce-([A-Za-z0-9_\-+/=]+)'")


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    settings.REGISTRATION_RATE_LIMIT_IP = "off"
    settings.REGISTRATION_RATE_LIMIT_EMAIL = "off"
    return settings


def csp_directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_a_strict_csp_with_a_fresh_nonce(client, production, name):
    first = client.get(reverse(name), secure=True)
    second = client.get(reverse(name), secure=True)
    assert first.status_code == 200
    directives = csp_directives(first)
    assert "'unsafe-inline'" not in first["Content-Security-Policy"]
    assert "'unsafe-eval'" not in first["Content-Security-Policy"]
    assert directives["default-src"] == "default-src 'self'"
    assert directives["object-src"] == "object-src 'none'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["base-uri"] == "base-uri 'self'"
    nonce = NONCE_RE.search(directives["script-src"]).group(1)
    assert nonce != NONCE_RE.search(csp_directives(second)["script-src"]).group(1), "the nonce must change per request"
    # Every inline <script>/<style> of the page carries this response's nonce (else the browser blocks it).
    html = first.content.decode()
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        if "src=" not in tag and "application/ld+json" not in tag:
            assert f'nonce="{nonce}"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html.replace("\n", " ")), "inline event handler attribute"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_security_headers(client, production, name):
    response = client.get(reverse(name), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature


def test_error_pages_carry_the_headers_too(client, production):
    response = client.get("/questa-pagina-non-esiste-7331/", secure=True)
    assert response.status_code == 404
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_hsts_over_plain_http(client, production):
    """HSTS is only meaningful (and only sent) over HTTPS; plain HTTP is redirected in production."""
    response = client.get(reverse("home"))
    assert "Strict-Transport-Security" not in response


def test_https_redirect_in_production(client, production):
    production.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
    assert client.get(reverse("healthz")).status_code != 301, "the health check answers over plain HTTP"


def test_csrf_cookie_is_secure_on_a_form_page(client, production):
    meeting = MeetingFactory()
    response = client.get(reverse("registrations:register", args=[meeting.pk]), secure=True)
    assert response.status_code == 200
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True


def test_session_cookie_is_secure_and_httponly(client, production):
    """Asking for a login code keeps the pending login in the session: the cookie set then is Secure and HttpOnly."""
    response = client.post(reverse("account_login"), {"login": "giulia.rossi@comune.example.it"}, secure=True)
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_registration_outcome_cookie_is_secure_and_httponly(client, production):
    meeting = MeetingFactory(capacity=10)
    data = {
        "first_name": "Giulia",
        "last_name": "Rossi",
        "email": "giulia.rossi@comune.example.it",
        "organization": "Comune di Bergamo",
        "organization_type": "comune",
        "privacy": "on",
    }
    response = client.post(reverse("registrations:register", args=[meeting.pk]), data, secure=True)
    assert response.status_code == 302
    cookie = response.cookies["registration_outcome"]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")
    assert "sessionid" not in response.cookies


def test_language_cookie_is_secure(client, production):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, secure=True)
    assert response.status_code == 302
    assert response.cookies["django_language"]["secure"] is True
