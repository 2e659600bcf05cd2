from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.cache import track_content


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Catalogo")

    def ready(self) -> None:
        # Public pages are cached per content version (core/cache.py); models load only once the registry is ready.
        from .models import Area, FundingLine, FundingProgramme, Organization, Project, ProjectPartner, Service

        track_content(
            Area,
            FundingLine,
            FundingProgramme,
            Organization,
            Project,
            ProjectPartner,
            Service,
            m2m=[Project.areas.through],
        )
