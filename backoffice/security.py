"""Staff sign-in hardening: the admin login goes through allauth (rate limits, MFA), django-axes sees allauth's logins."""

from __future__ import annotations

from allauth.account.internal.stagekit import get_pending_stage
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.urls import Resolver404, resolve


def user_has_totp(user: AbstractBaseUser) -> bool:
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


# --- django-axes on allauth's login path --------------------------------------------------------------------------------
# Staff log in without a password (allauth login by code) and then with their TOTP code, so nothing on that path calls
# django.contrib.auth.authenticate() with credentials, which is where django-axes normally counts and blocks. allauth
# limits both steps itself (ACCOUNT_RATE_LIMITS, LOGIN_BY_CODE_MAX_ATTEMPTS); axes adds a lockout that outlives the
# rate-limit window and is visible to staff (Access attempts in the admin): wrong TOTP codes count as failed logins,
# and a locked address or IP cannot post to any login step.
AUTH_STEP_URL_NAMES = frozenset({"account_login", "account_confirm_login_code", "mfa_authenticate"})


def _pending_login_email(request: HttpRequest) -> str | None:
    stage = get_pending_stage(request)
    user = getattr(getattr(stage, "login", None), "user", None)
    return getattr(user, "email", None) or None


def on_mfa_authentication_failed(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    user_login_failed.send(
        sender=__name__, credentials={"username": user.email or user.get_username()}, request=request
    )


def connect_signals() -> None:
    authentication_failed.connect(on_mfa_authentication_failed, dispatch_uid="backoffice_mfa_failed_to_axes")


class AuthLockoutMiddleware:
    """Refuse the allauth login steps to an IP or address that django-axes has locked out."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method == "POST":
            match = getattr(request, "resolver_match", None)
            try:
                match = match or resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.url_name in AUTH_STEP_URL_NAMES:
                login = request.POST.get("login") or _pending_login_email(request)
                credentials = {"username": login} if login else None
                if AxesProxyHandler.is_locked(request, credentials):
                    return get_lockout_response(request, credentials=credentials)
        return self.get_response(request)
