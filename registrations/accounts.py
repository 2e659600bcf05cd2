"""Participants' accounts: who may have one, how it is created, and what allauth's emails say.

Design (issue 14, "account pre-takeover"):

- **Nobody signs up.** ``is_open_for_signup`` is False: an open signup let anybody create an account holding somebody
  else's address and keep its session, so that the owner's later code login landed in the attacker's account. Staff
  accounts are created by staff in the admin.
- **A registrant's account is created when they ask for a login code**, and only for an address that has at least
  one registration (``participant_account_ensure``). It has no password and one *unverified* address; the code sent
  to that address is what proves ownership: allauth verifies the address when the code is entered, and that is the
  first moment anybody can be logged into the account. Addresses with no registration get no account and no email
  (``ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False``) but the same answer on the page (``ACCOUNT_PREVENT_ENUMERATION``).
  Creating the account at registration time would have been the other option; it would make every registration
  write a user row (most registrants never log in) and put account code into the locked registration service.
- **One address per account** (``ACCOUNT_MAX_EMAIL_ADDRESSES = 1``, ``ACCOUNT_UNIQUE_EMAIL``): nobody can add the
  victim's address to their own account at /account/email/; allauth also refuses to verify an address that is
  already verified on another account (``EmailAddress.can_set_verified``).
- **Verifying an address ends every other session of the account** (``end_other_sessions``): whoever held a session
  of an account made before these rules (an attacker who signed up with the victim's address) is logged out the
  moment the owner proves the address. Django ties a session to a hash of the password, so a new unusable password
  invalidates every session; the portal has no passwords (everybody logs in by code), so nothing is lost.
- **Emails speak with SITE_URL and SITE_NAME**, never the request's Host header (it is only checked against
  ALLOWED_HOSTS, which lists more than one name), and login codes are capped per address per day.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.clientip import client_ip

from . import ratelimit
from .models import Registration

logger = logging.getLogger(__name__)

LOGIN_CODE_TEMPLATE = "account/email/login_code"


# --- Accounts of registrants ----------------------------------------------------------------------------------------
def participant_account_ensure(*, email: str | None) -> None:
    """Create the passive account of a registrant who asks for a login code, if the address has a registration and
    no account holds it yet. Does nothing otherwise (see the module docstring for why this is safe)."""
    email = (email or "").strip().lower()
    if "@" not in email:
        return
    User = get_user_model()
    if EmailAddress.objects.filter(email__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        return
    if not Registration.objects.filter(email__iexact=email).exists():
        return
    adapter = AccountAdapter()
    try:
        with transaction.atomic():
            user = User(email=email, username=adapter.generate_unique_username([email.partition("@")[0], "iscritto"]))
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    except IntegrityError:  # the same address asked twice at once: the other request created it
        logger.info("participant account for a registrant created concurrently")


def end_other_sessions(sender, request, email_address, **kwargs) -> None:
    """allauth's ``email_confirmed`` signal: a newly verified address ends every other session of its account (a new
    unusable password changes the session hash Django checks at every request). The code login logs the owner in
    right after this, with the new hash; a logged-in user confirming by link keeps their own session."""
    user = email_address.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk:
        update_session_auth_hash(request, user)


class LoginForm(AllauthLoginForm):
    def clean_login(self) -> str:
        login = super().clean_login()
        participant_account_ensure(email=login)
        return login


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    def clean_email(self) -> str:
        participant_account_ensure(email=self.cleaned_data.get("email"))
        return super().clean_email()


# --- The adapter --------------------------------------------------------------------------------------------------------
class _Site:
    """What allauth's email templates read as ``current_site`` (name and domain), from the settings."""

    def __init__(self) -> None:
        self.name = settings.SITE_NAME
        self.domain = urlsplit(settings.SITE_URL).netloc

    def __str__(self) -> str:
        return self.domain


def on_site(url: str) -> str:
    """``url`` with SITE_URL's scheme and host, whatever host the request came with."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.SITE_URL + path


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # allauth's own default trusts X-Forwarded-For only by hop count (ALLAUTH_TRUSTED_PROXY_COUNT), from any peer:
        # its login limits count the same client address as every other limiter (core/clientip.py).
        return client_ip(request)

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_login_redirect_url(self, request) -> str:
        # Without a `next`, a registrant signed in by code lands on their registrations, staff on the default.
        if not request.user.is_staff:
            return reverse("registrations:mine")
        return super().get_login_redirect_url(request)

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        if template_prefix == LOGIN_CODE_TEMPLATE and _over_daily_cap(email):
            # Silently: the page already said "if the address is known, a code is on its way" for every address.
            logger.info("login code not sent: daily cap reached for an address")
            return
        context = {
            **context,
            "current_site": _Site(),
            "site_url": settings.SITE_URL,
            "contact_email": settings.CONTACT_EMAIL,
        }
        request = allauth_context.request
        if request is not None:
            # Any link allauth built from the request (signup, password reset…) is moved to SITE_URL.
            root = request.build_absolute_uri("/")
            context = {
                key: on_site(value) if isinstance(value, str) and value.startswith(root) else value
                for key, value in context.items()
            }
        super().send_mail(template_prefix, email, context)


def _over_daily_cap(email: str) -> bool:
    limit = settings.LOGIN_CODE_EMAILS_PER_DAY
    return bool(limit) and ratelimit.hit("login-code-day", email.strip(), f"{limit}/d")
