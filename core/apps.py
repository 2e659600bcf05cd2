from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared infrastructure below the domain apps: it imports none of them (they register with it instead)."""

    name = "core"
    verbose_name = _("Portale")
