"""Staff accounts must use a second factor: a staff user without an active TOTP authenticator is sent to set one up.

allauth.mfa asks for the code at login from everyone who has one, but it has no switch to *require* one. Staff can
read and export personal data, so for them it is mandatory: every page except allauth's own account pages (login,
logout, the 2FA setup itself), static files and the health check redirects to the TOTP setup until it is done.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .security import user_has_totp

# Paths matched after the optional /en/ language prefix.
EXEMPT_PREFIXES = ("/account/", "/static/", "/media/", "/healthz", "/i18n/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and settings.STAFF_MFA_REQUIRED
            and not self._exempt(request.path)
            and not user_has_totp(user)
        ):
            messages.warning(
                request,
                _("Per accedere all'area riservata attiva l'autenticazione a due fattori (app di autenticazione)."),
            )
            target = reverse("mfa_activate_totp")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        if path.startswith("/en/"):
            path = path[3:]
        return path.startswith(EXEMPT_PREFIXES)
