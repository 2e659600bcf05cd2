from allauth.account.signals import email_confirmed
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.cache import track_seats


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Iscrizioni")

    def ready(self) -> None:
        # Public pages are cached per content version (core/cache.py); models load only once the registry is ready.
        from .models import Registration

        track_seats(Registration)
        # Register the Celery tasks in every process (web, worker, beat): the outbox publishes them by name.
        from . import tasks  # noqa: F401

        # A verified address ends every other session of its account (registrations/accounts.py says why).
        from .accounts import end_other_sessions

        email_confirmed.connect(end_other_sessions, dispatch_uid="registrations_end_other_sessions")
