"""Staff accounts with a known TOTP secret, for tests and the benchmark's staff pages (never used by the portal)."""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt
from django.contrib.auth.base_user import AbstractBaseUser

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def activate_totp_for_tests(user: AbstractBaseUser, secret: str = TEST_TOTP_SECRET) -> str:
    """Give ``user`` an active TOTP authenticator with a known secret.

    Returns the secret, so a test can compute the current code with allauth's own helpers.
    """
    Authenticator.objects.update_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
    )
    return secret


def current_totp_code(secret: str) -> str:
    """The TOTP code an authenticator app would show now for ``secret`` (allauth's own algorithm)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
