"""Wire the default admin site into the back-office: allauth login (rate limits + MFA), the dashboard index, and
django-axes on allauth's login steps.

Called once from labs/admin.py, which admin autodiscovery imports before the URLconf reads ``admin.site.urls``.
"""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .dashboard import dashboard_context
from .security import connect_signals

_configured = False


def configure_admin_site(site: admin.AdminSite = admin.site) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    connect_signals()
    site.site_header = _("AnciLab – area riservata")
    site.site_title = _("AnciLab – area riservata")
    site.index_title = _("Cruscotto")
    # Django's own admin login form would bypass allauth: no rate limit, no second factor.
    site.login = secure_admin_login(site.login)
    original_index = site.index

    def index(request, extra_context=None):
        return original_index(request, extra_context={**dashboard_context(request), **(extra_context or {})})

    site.index = index
