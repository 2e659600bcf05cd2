"""The staff back-office shell: Django's admin app with the portal's site, and django-axes on allauth's login steps."""

from django.contrib.admin.apps import AdminConfig


class BackofficeAdminConfig(AdminConfig):
    default_site = "backoffice.sites.BackofficeAdminSite"

    def ready(self) -> None:
        super().ready()
        from .security import connect_signals  # allauth's models must be loaded: only possible once apps are ready

        connect_signals()
