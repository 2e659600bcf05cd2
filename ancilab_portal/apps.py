from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ancilab_portal"
    verbose_name = _("Portale")

    def ready(self) -> None:
        from .cache import connect_content_signals

        connect_content_signals()
