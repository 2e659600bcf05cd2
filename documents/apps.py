from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """PDFs made with WeasyPrint: the project catalogue, lab programmes, sign-in sheets and attendance certificates."""

    name = "documents"
    verbose_name = _("Documenti PDF")
