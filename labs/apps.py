from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.cache import track_content


class LabsConfig(AppConfig):
    name = "labs"
    verbose_name = _("Laboratori")

    def ready(self) -> None:
        # Public pages are cached per content version (core/cache.py); models load only once the registry is ready.
        from .models import Lab, LabContact, Meeting, MeetingMaterial, Venue

        track_content(Lab, LabContact, Meeting, MeetingMaterial, Venue, m2m=[Lab.areas.through])
