"""The staff back-office shell: Django's admin app with the portal's site, and django-axes on allauth's login steps.

Two labels of Django's admin and allauth have no Italian form, so ``ready`` gives them one (the Italian-admin scan in
tests/backoffice/test_admin_language.py fails if either comes back):

- the yes/no icons in lists and read-only fields carry ``alt="True"`` / ``"False"`` / ``"None"`` (Django builds the
  text from the Python value, untranslatable); the icon is rebuilt with "sì" / "no" / "non indicato". Django imports
  ``_boolean_icon`` inside each function that uses it, so replacing it on its module reaches every caller.
- allauth's ``Authenticator`` model declares no verbose name ("Authenticators" in the index). Setting it on ``_meta``
  after the model is loaded changes the labels only: migrations read the options declared in ``Meta``
  (``original_attrs``), so ``makemigrations`` sees nothing.
"""

from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


def _boolean_icon(field_val):
    from django.templatetags.static import static
    from django.utils.html import format_html

    icon, alt = {True: ("yes", _("sì")), False: ("no", _("no")), None: ("unknown", _("non indicato"))}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)


class BackofficeAdminConfig(AdminConfig):
    default_site = "backoffice.sites.BackofficeAdminSite"

    def ready(self) -> None:
        super().ready()
        from allauth.mfa.models import Authenticator
        from django.contrib.admin.templatetags import admin_list

        from .security import connect_signals  # allauth's models must be loaded: only possible once apps are ready

        connect_signals()
        admin_list._boolean_icon = _boolean_icon
        Authenticator._meta.verbose_name = _("autenticatore")
        Authenticator._meta.verbose_name_plural = _("autenticatori")
