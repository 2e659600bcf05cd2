from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Questionari di gradimento")

    def ready(self) -> None:
        # The funder report (registrations/reports.py) shows the attendees' average score; registrations cannot
        # import this app (it depends on registrations), so the function is handed over here.
        from registrations import reports

        from .results import satisfaction_average

        reports.satisfaction_source = satisfaction_average
