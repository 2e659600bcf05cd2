"""allauth's account adapter: the staff login's rate limits count the client address that core.clientip defines."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from core.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's own default trusts X-Forwarded-For only by hop count (ALLAUTH_TRUSTED_PROXY_COUNT), from any peer.
        return client_ip(request)
