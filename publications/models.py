"""E-books, volumes and reports (AnciLab Editore and the labs' outputs), and news articles."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import LocalizedTitleMixin, TimeStampedModel, localized
from core.validators import PortalImageField, validate_document, validate_image
from labs.models import Lab
from projects.models import Area, Project


class PublicationQuerySet(models.QuerySet):
    def published(self) -> PublicationQuerySet:
        return self.filter(published=True)


class Publication(LocalizedTitleMixin, TimeStampedModel):
    class Kind(models.TextChoices):
        EBOOK = "ebook", _("e-book")
        VOLUME = "volume", _("volume")
        REPORT = "report", _("rapporto")
        MAGAZINE = "magazine", _("rivista")

    title = models.CharField(_("titolo"), max_length=250)
    title_en = models.CharField(_("titolo (inglese)"), max_length=250, blank=True)
    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.EBOOK, db_index=True)
    curator = models.CharField(_("a cura di"), max_length=250, blank=True)
    # Only when the source names one ("a cura di …" names the curator, not the publisher): no default.
    publisher = models.CharField(_("editore"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(
        _("anno"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    cover_image = PortalImageField(
        _("immagine di copertina"), upload_to="covers/", blank=True, validators=[validate_image]
    )
    cover_alt = models.CharField(_("testo alternativo della copertina"), max_length=250, blank=True)
    file = models.FileField(
        _("file (PDF o EPUB)"),
        upload_to="publications/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "epub"]), validate_document],
    )
    external_url = models.URLField(_("link esterno"), blank=True)
    summary = models.TextField(_("sintesi"), blank=True)
    summary_en = models.TextField(_("sintesi (inglese)"), blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    labs = models.ManyToManyField(Lab, verbose_name=_("laboratori"), related_name="publications", blank=True)
    projects = models.ManyToManyField(Project, verbose_name=_("progetti"), related_name="publications", blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("aree tematiche"), related_name="publications", blank=True)
    download_count = models.PositiveIntegerField(_("download"), default=0, editable=False)
    # New content is a draft: staff preview it on the site and publish explicitly (issue 16).
    published = models.BooleanField(_("pubblicato"), default=False, db_index=True)

    # Who changed what and when, per object (staff audit trail, shown in the admin history).
    history = HistoricalRecords()
    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("pubblicazione")
        verbose_name_plural = _("pubblicazioni")

    def __str__(self) -> str:
        return self.title

    @property
    def file_format(self) -> str:
        """ "PDF", "EPUB": what the download button says the reader gets."""
        return self.file.name.rsplit(".", 1)[-1].upper() if self.file else ""

    @property
    def file_size(self) -> int | None:
        """Bytes, or None when the file is missing from the disk (the button then shows no size)."""
        try:
            return self.file.size if self.file else None
        except OSError:
            return None

    def get_absolute_url(self) -> str:
        return reverse("publications:detail", kwargs={"slug": self.slug})

    @property
    def external_site(self) -> str:
        """The host name of the external link ("www.anci.lombardia.it"), as the sources name where a volume is found."""
        return urlsplit(self.external_url).hostname or ""

    def clean(self) -> None:
        if self.cover_image and not self.cover_alt:
            raise ValidationError({"cover_alt": _("Descrivi l'immagine per chi non può vederla.")})


class PublicationEdition(models.Model):
    """One edition or issue of a publication that came out several times ("7 edizioni del paper informativo «Vieni in
    Europa con noi»"): its label, its year when the source gives it, where to read it when known."""

    publication = models.ForeignKey(Publication, related_name="editions", on_delete=models.CASCADE)
    label = models.CharField(_("edizione"), max_length=120, help_text=_("Ad esempio «2ª edizione» o «Numero 3»."))
    label_en = models.CharField(_("edizione (inglese)"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(
        _("anno"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    external_url = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("edizione")
        verbose_name_plural = _("edizioni")

    def __str__(self) -> str:
        return f"{self.label} ({self.year})" if self.year else self.label

    @property
    def display_label(self) -> str:
        return localized(self, "label")


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        """Ticked "pubblicato", dated today or earlier, and past its publication time if one is set (scheduled news
        appear with no job: cached pages show them once their entry expires, see docs/performance.md)."""
        return self.filter(published=True, date__lte=timezone.localdate()).filter(
            Q(published_from__isnull=True) | Q(published_from__lte=timezone.now())
        )


class Article(LocalizedTitleMixin, TimeStampedModel):
    title = models.CharField(_("titolo"), max_length=250)
    title_en = models.CharField(_("titolo (inglese)"), max_length=250, blank=True)
    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    date = models.DateField(_("data"), default=timezone.localdate)
    author = models.CharField(_("autore"), max_length=200, blank=True)
    source_name = models.CharField(_("fonte"), max_length=200, blank=True)
    source_url = models.URLField(_("link alla fonte"), blank=True)
    summary = models.TextField(_("sintesi"), blank=True)
    summary_en = models.TextField(_("sintesi (inglese)"), blank=True)
    body = models.TextField(_("testo"))
    body_en = models.TextField(_("testo (inglese)"), blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("aree tematiche"), related_name="articles", blank=True)
    labs = models.ManyToManyField(Lab, verbose_name=_("laboratori"), related_name="articles", blank=True)
    # New content is a draft: staff preview it on the site and publish explicitly (issue 16).
    published = models.BooleanField(_("pubblicato"), default=False, db_index=True)
    published_from = models.DateTimeField(
        _("pubblica dal"),
        null=True,
        blank=True,
        help_text=_("Se indicata, la notizia pubblicata compare sul sito solo da questo momento."),
    )

    # Who changed what and when, per object (staff audit trail, shown in the admin history).
    history = HistoricalRecords()
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("notizia")
        verbose_name_plural = _("notizie")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:article_detail", kwargs={"slug": self.slug})

    @property
    def display_body(self) -> str:
        return localized(self, "body")
