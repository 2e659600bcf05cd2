from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """PDFs made with WeasyPrint: the project catalogue, lab programmes, sign-in sheets and attendance certificates."""

    name = "documents"
    verbose_name = _("Documenti PDF")

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, worker, beat): exports publish them by name.
        from . import tasks  # noqa: F401
