from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content loaders (management commands load_demo, demo_upcoming, seed_bulk)."""

    name = "demo"
    verbose_name = _("Contenuti dimostrativi")
