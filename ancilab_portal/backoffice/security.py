"""Staff sign-in hardening: the admin login goes through allauth (rate limits, MFA), django-axes sees allauth's logins."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


def user_has_totp(user: AbstractBaseUser) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The login name django-axes counts failures against.

    allauth authenticates with ``email=`` (our login method) and posts the field as ``login``; axes looks for
    ``username`` by default, so without this every failed allauth login would be counted by IP only.
    """
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    data = getattr(request, "POST", None) or {}
    for key in ("login", "email", "username"):
        value = data.get(key)
        if value:
            return str(value).strip().lower()
    return None


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - a published test vector, never a real account's


def activate_totp_for_tests(user: AbstractBaseUser, secret: str = TEST_TOTP_SECRET) -> str:
    """Give ``user`` an active TOTP authenticator with a known secret (tests and demo staff accounts).

    Returns the secret, so a test can compute the current code with allauth's own helpers.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.update_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
    )
    return secret


def current_totp_code(secret: str) -> str:
    """The TOTP code an authenticator app would show now for ``secret`` (allauth's own algorithm)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
