"""The catalogue: thematic areas, funding programmes, organisations, projects and AnciLab's services."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import LocalizedTitleMixin, TimeStampedModel, localized
from core.validators import PortalImageField, validate_image


class Area(models.Model):
    name = models.CharField(_("nome"), max_length=80)
    name_en = models.CharField(_("nome (inglese)"), max_length=80, blank=True)
    slug = models.SlugField(_("indirizzo breve"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area tematica")
        verbose_name_plural = _("aree tematiche")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class FundingProgramme(models.Model):
    name = models.CharField(_("sigla"), max_length=80, help_text=_("Ad esempio FAMI, PNRR, Erasmus+."))
    full_name = models.CharField(_("nome completo"), max_length=250, blank=True)
    full_name_en = models.CharField(_("nome completo (inglese)"), max_length=250, blank=True)
    slug = models.SlugField(_("indirizzo breve"), max_length=80, unique=True)
    # EU communication rules: a project funded by an EU fund shows the EU emblem and the funding statement.
    eu_funded = models.BooleanField(
        _("fondo dell'Unione europea"),
        default=False,
        help_text=_(
            "I progetti finanziati da questo programma mostrano l'emblema dell'UE e la dicitura "
            "«Cofinanziato dall'Unione europea»."
        ),
    )

    # The Recovery and Resilience Facility (the PNRR) has its own statement: "Finanziato dall'Unione europea –
    # NextGenerationEU", with the same emblem.
    next_generation_eu = models.BooleanField(
        _("NextGenerationEU"),
        default=False,
        help_text=_(
            "Fondi NextGenerationEU (PNRR): i progetti mostrano l'emblema dell'UE con la dicitura "
            "«Finanziato dall'Unione europea – NextGenerationEU»."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("programma di finanziamento")
        verbose_name_plural = _("programmi di finanziamento")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # NextGenerationEU is an EU fund: the filters, charts and open data that read eu_funded count it.
        if self.next_generation_eu:
            self.eu_funded = True
        super().save(*args, **kwargs)


class Organization(models.Model):
    name = models.CharField(_("nome"), max_length=250)
    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    website = models.URLField(_("sito web"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ente")
        verbose_name_plural = _("enti")

    def __str__(self) -> str:
        return self.name


class DatePrecision(models.TextChoices):
    DAY = "day", _("giorno")
    MONTH = "month", _("mese")
    YEAR = "year", _("anno")


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """ "3 novembre 2020", "dicembre 2021" or "2018", as the catalogue states its dates."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


class ProjectQuerySet(models.QuerySet):
    def published(self) -> ProjectQuerySet:
        return self.filter(published=True)

    def in_area(self, area: Area | str) -> ProjectQuerySet:
        if isinstance(area, Area):
            return self.filter(areas=area)
        return self.filter(areas__slug=area)

    def with_status(self, status: str) -> ProjectQuerySet:
        return self.filter(status=status)

    def active_in_year(self, year: int) -> ProjectQuerySet:
        """Projects running at some point of ``year``: started by its end, and not ended before it began."""
        return self.filter(
            models.Q(start_date__isnull=True) | models.Q(start_date__year__lte=year),
            models.Q(end_date__isnull=True) | models.Q(end_date__year__gte=year),
        ).exclude(start_date__isnull=True, end_date__isnull=True)


class Project(LocalizedTitleMixin, TimeStampedModel):
    class Status(models.TextChoices):
        ONGOING = "ongoing", _("in corso")
        PLANNED = "planned", _("in progettazione")
        COMPLETED = "completed", _("concluso")

    class AnciRole(models.TextChoices):
        LEAD = "lead", _("capofila")
        PARTNER = "partner", _("partner")

    title = models.CharField(_("titolo"), max_length=250)
    title_en = models.CharField(_("titolo (inglese)"), max_length=250, blank=True)
    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    acronym = models.CharField(_("acronimo"), max_length=40, blank=True)
    # Identifiers printed on the funded projects' materials (e.g. "PROGETTO PROG. 2463 – CUP: E89F18000510007").
    cup = models.CharField(
        _("CUP"),
        max_length=15,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{15}$", _("Il CUP è composto da 15 caratteri, lettere maiuscole e cifre."))
        ],
        help_text=_("Codice Unico di Progetto, 15 caratteri (ad esempio E89F18000510007)."),
    )
    project_code = models.CharField(
        _("codice progetto"),
        max_length=40,
        blank=True,
        help_text=_("Il codice assegnato dal programma di finanziamento (ad esempio PROG-2463)."),
    )
    summary = models.CharField(_("sintesi"), max_length=300)
    summary_en = models.CharField(_("sintesi (inglese)"), max_length=300, blank=True)
    description = models.TextField(_("descrizione"), blank=True)
    description_en = models.TextField(_("descrizione (inglese)"), blank=True)
    areas = models.ManyToManyField(Area, verbose_name=_("aree tematiche"), related_name="projects", blank=True)
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.ONGOING, db_index=True)
    start_date = models.DateField(_("data di inizio"), null=True, blank=True)
    start_precision = models.CharField(
        _("precisione della data di inizio"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("data di fine"), null=True, blank=True)
    end_precision = models.CharField(
        _("precisione della data di fine"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    budget = models.DecimalField(
        _("budget (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_note = models.CharField(
        _("nota sul budget"), max_length=200, blank=True, help_text=_("Pubblica. Ad esempio «in via di definizione».")
    )
    # Editorial provenance (what the source printed, what is still to be checked): shown in the admin only, never on a
    # public page, PDF or open-data export.
    budget_internal_note = models.TextField(
        _("nota interna sul budget"),
        blank=True,
        help_text=_("Solo per la redazione: non compare sul sito, nei PDF né negli open data."),
    )
    # The main programme: what the catalogue filters, the charts and the spreadsheet import use. The detail (several funds, axis, objective,
    # amount per fund) lives in FundingLine; a project without lines shows just this programme.
    programme = models.ForeignKey(
        FundingProgramme,
        verbose_name=_("programma di finanziamento"),
        related_name="projects",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_(
            "Il programma principale, usato dai filtri del catalogo. Più fondi, assi, obiettivi e importi vanno "
            "nelle linee di finanziamento."
        ),
    )
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("ente capofila"),
        related_name="led_projects",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Blank when the source does not state the role: the portal then states none.
    anci_role = models.CharField(
        _("ruolo di ANCI Lombardia"), max_length=10, choices=AnciRole.choices, default=AnciRole.LEAD, blank=True
    )
    # Each partner with its role (ProjectPartner): capofila, partner, partner associato, ente finanziatore.
    partners = models.ManyToManyField(
        Organization,
        verbose_name=_("partner"),
        related_name="partner_projects",
        blank=True,
        through="ProjectPartner",
    )
    with_ancilab = models.BooleanField(_("in collaborazione con AnciLab"), default=False)
    image = PortalImageField(_("immagine"), upload_to="projects/", blank=True, validators=[validate_image])
    image_alt = models.CharField(_("testo alternativo dell'immagine"), max_length=250, blank=True)
    # New projects (from the admin or an import) are drafts until staff publish them (issue 16).
    published = models.BooleanField(_("pubblicato"), default=False, db_index=True)

    # Who changed what and when, per object (staff audit trail, shown in the admin history).
    history = HistoricalRecords()
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("progetto")
        verbose_name_plural = _("progetti")

    def __str__(self) -> str:
        return self.title

    @property
    def acronym_shown(self) -> str:
        """The acronym to print after the title, or "" when the title already carries it ("… (INLAV)")."""
        return self.acronym if self.acronym and self.acronym not in self.display_title else ""

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La data di fine non può precedere quella di inizio.")
        if self.image and not self.image_alt:
            errors["image_alt"] = _("Descrivi l'immagine per chi non può vederla.")
        if errors:
            raise ValidationError(errors)

    @property
    def start_display(self) -> str:
        return format_partial_date(self.start_date, self.start_precision)

    @property
    def eu_funded(self) -> bool:
        """Co-funded by the EU when its main programme or one of its funding lines is an EU fund. Reads the prefetched
        funding lines when the caller prefetched them."""
        if self.programme_id and (self.programme.eu_funded or self.programme.next_generation_eu):
            return True
        return any(line.programme.eu_funded or line.programme.next_generation_eu for line in self.funding_lines.all())

    @property
    def eu_statement(self) -> str:
        """The EU funding statement the project's pages and PDFs carry next to the emblem, "" when not EU-funded:
        NextGenerationEU's when one of its EU funds is (the PNRR), else the co-funding one."""
        programmes = [self.programme] if self.programme_id else []
        programmes += [line.programme for line in self.funding_lines.all()]
        eu_programmes = [programme for programme in programmes if programme.eu_funded or programme.next_generation_eu]
        if any(programme.next_generation_eu for programme in eu_programmes):
            return str(_("Finanziato dall'Unione europea – NextGenerationEU"))
        if eu_programmes:
            return str(_("Cofinanziato dall'Unione europea"))
        return ""

    @property
    def end_display(self) -> str:
        return format_partial_date(self.end_date, self.end_precision)

    @property
    def display_description(self) -> str:
        return localized(self, "description")


class FundingLine(models.Model):
    """One source of a project's funding, as the materials state it: "FAMI 2014-2020 · Obiettivo Specifico 2 ·
    Obiettivo nazionale 2", or each fund of a cross-border project (Interreg, FESR, Swiss federal funds)."""

    project = models.ForeignKey(Project, related_name="funding_lines", on_delete=models.CASCADE)
    programme = models.ForeignKey(
        FundingProgramme,
        verbose_name=_("programma di finanziamento"),
        related_name="funding_lines",
        on_delete=models.PROTECT,
    )
    measure = models.CharField(
        _("asse, obiettivo o misura"),
        max_length=300,
        blank=True,
        help_text=_(
            "Come lo riportano i documenti del progetto, ad esempio «Obiettivo Specifico 2 · Obiettivo nazionale 2»."
        ),
    )
    amount = models.DecimalField(
        _("importo (€)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("linea di finanziamento")
        verbose_name_plural = _("linee di finanziamento")

    def __str__(self) -> str:
        return " · ".join(part for part in (self.programme.name, self.measure) if part)


class ProjectPartner(models.Model):
    """An organisation of a project's partnership and the role the sources give it ("capofila svizzero" is a lead;
    UNESCO Cipro in Cultural BEES a "partner associato"). The table is the one the plain many-to-many used."""

    class Role(models.TextChoices):
        LEAD = "lead", _("capofila")
        PARTNER = "partner", _("partner")
        ASSOCIATE = "associate", _("partner associato")
        FUNDER = "funder", _("ente finanziatore")

    project = models.ForeignKey(Project, related_name="partnerships", on_delete=models.CASCADE)
    organization = models.ForeignKey(
        Organization, verbose_name=_("ente"), related_name="partnerships", on_delete=models.CASCADE
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices, default=Role.PARTNER)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        db_table = "projects_project_partners"
        ordering = ["order", "id"]
        unique_together = [("project", "organization")]
        verbose_name = _("partner del progetto")
        verbose_name_plural = _("partner del progetto")

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class ProjectLink(models.Model):
    project = models.ForeignKey(Project, related_name="links", on_delete=models.CASCADE)
    label = models.CharField(_("etichetta"), max_length=120)
    url = models.URLField(_("indirizzo"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("link esterno")
        verbose_name_plural = _("link esterni")

    def __str__(self) -> str:
        return self.label


class ServiceQuerySet(models.QuerySet):
    def active(self) -> ServiceQuerySet:
        return self.filter(active=True)

    def published(self) -> ServiceQuerySet:
        """A service is public when active (the name every public content queryset shares: core.visibility)."""
        return self.active()


class Service(LocalizedTitleMixin, TimeStampedModel):
    """An AnciLab service to municipalities, shown with the Designers Italia service-page structure."""

    title = models.CharField(_("titolo"), max_length=200)
    title_en = models.CharField(_("titolo (inglese)"), max_length=200, blank=True)
    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    area = models.ForeignKey(
        Area, verbose_name=_("area tematica"), related_name="services", on_delete=models.PROTECT, null=True, blank=True
    )
    summary = models.CharField(_("sintesi"), max_length=300)
    summary_en = models.CharField(_("sintesi (inglese)"), max_length=300, blank=True)
    description = models.TextField(_("descrizione"), blank=True)
    description_en = models.TextField(_("descrizione (inglese)"), blank=True)
    audience = models.TextField(_("a chi è rivolto"), blank=True)
    audience_en = models.TextField(_("a chi è rivolto (inglese)"), blank=True)
    how_to_request = models.TextField(_("come fare"), blank=True)
    how_to_request_en = models.TextField(_("come fare (inglese)"), blank=True)
    requirements = models.TextField(_("cosa serve"), blank=True)
    requirements_en = models.TextField(_("cosa serve (inglese)"), blank=True)
    outcome = models.TextField(_("cosa si ottiene"), blank=True)
    outcome_en = models.TextField(_("cosa si ottiene (inglese)"), blank=True)
    timing = models.TextField(_("tempi"), blank=True)
    timing_en = models.TextField(_("tempi (inglese)"), blank=True)
    cost = models.TextField(_("quanto costa"), blank=True)
    cost_en = models.TextField(_("quanto costa (inglese)"), blank=True)
    access_url = models.URLField(_("link di accesso al servizio"), blank=True)
    contact_email = models.EmailField(_("email di contatto"), blank=True)
    contact_phone = models.CharField(_("telefono di contatto"), max_length=40, blank=True)
    # New services are drafts until staff publish them (issue 16).
    active = models.BooleanField(_("attivo"), default=False, db_index=True)

    # Who changed what and when, per object (staff audit trail, shown in the admin history).
    history = HistoricalRecords()
    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("servizio")
        verbose_name_plural = _("servizi")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:service_detail", kwargs={"slug": self.slug})

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def display_audience(self) -> str:
        return localized(self, "audience")

    @property
    def display_how_to_request(self) -> str:
        return localized(self, "how_to_request")

    @property
    def display_requirements(self) -> str:
        return localized(self, "requirements")

    @property
    def display_outcome(self) -> str:
        return localized(self, "outcome")

    @property
    def display_timing(self) -> str:
        return localized(self, "timing")

    @property
    def display_cost(self) -> str:
        return localized(self, "cost")
