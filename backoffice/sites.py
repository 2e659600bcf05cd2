"""The portal's AdminSite: staff sign in through allauth (rate limits + TOTP), and the index is a dashboard.

Installed in place of ``django.contrib.admin`` by backoffice/apps.py (``default_site``), so ``admin.site`` and every
``@admin.register`` in the apps already use it: nothing is patched at import time.
"""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .dashboard import dashboard_context


class BackofficeAdminSite(admin.AdminSite):
    site_header = _("AnciLab – area riservata")
    site_title = _("AnciLab – area riservata")
    index_title = _("Cruscotto")

    def login(self, request, extra_context=None):
        # Django's own admin login form would bypass allauth: no rate limit, no second factor.
        return secure_admin_login(super().login)(request, extra_context)

    def index(self, request, extra_context=None):
        return super().index(request, extra_context={**dashboard_context(request), **(extra_context or {})})
