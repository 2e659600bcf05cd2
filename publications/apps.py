from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.cache import track_content


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Pubblicazioni")

    def ready(self) -> None:
        # Public pages are cached per content version (core/cache.py); models load only once the registry is ready.
        from .models import Article, Publication, PublicationEdition

        track_content(
            Article,
            Publication,
            PublicationEdition,
            m2m=[Publication.labs.through, Publication.areas.through, Article.labs.through],
        )
