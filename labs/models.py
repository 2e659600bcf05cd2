"""Laboratori: working groups of a few meetings each, held at a venue, online, or both."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, ExtractYear
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import LocalizedTitleMixin, TimeStampedModel, localized
from core.validators import (
    PDF_SIGNATURE,
    ZIP_SIGNATURE,
    PortalImageField,
    file_head,
    validate_image,
    validate_plausible_datetime,
)
from projects.models import Area, Project


class Venue(models.Model):
    name = models.CharField(_("nome"), max_length=200)
    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    address = models.CharField(_("indirizzo"), max_length=250)
    city = models.CharField(_("città"), max_length=120, default="Milano")
    map_url = models.URLField(_("link alla mappa"), blank=True)
    access_notes = models.TextField(_("indicazioni di accesso"), blank=True)
    access_notes_en = models.TextField(_("indicazioni di accesso (inglese)"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sede")
        verbose_name_plural = _("sedi")

    def __str__(self) -> str:
        return f"{self.name}, {self.address}, {self.city}"

    @property
    def display_access_notes(self) -> str:
        return localized(self, "access_notes")


def published_lab_q(prefix: str = "", now: datetime.datetime | None = None) -> Q:
    """The one definition of a public lab, as a filter (``prefix="lab__"`` from a meeting): "pubblicato" is ticked
    and its publication time, if any, has come. Compared with now at each query, so a scheduled lab appears with no job
    (cached pages show it once their entry expires: see docs/performance.md). Lab.is_published_at() is the same rule
    on one row, pinned against this in tests/labs/test_models.py."""
    now = now or timezone.now()
    return Q(**{f"{prefix}published": True}) & (
        Q(**{f"{prefix}published_from__isnull": True}) | Q(**{f"{prefix}published_from__lte": now})
    )


class LabQuerySet(models.QuerySet):
    def published(self) -> LabQuerySet:
        return self.filter(published_lab_q())

    def open_for_registration(self) -> LabQuerySet:
        """Labs with at least one meeting a person can register for now."""
        return self.filter(meetings__in=Meeting.objects.open_for_registration()).distinct()

    def with_concluded(self) -> LabQuerySet:
        """Annotate ``is_concluded``, the SQL form of Lab.concluded() (pinned against it in tests/labs/test_models.py)."""
        now = timezone.now()
        meetings = Meeting.objects.filter(lab=models.OuterRef("pk"), cancelled=False)
        last_year = (
            Meeting.objects.filter(lab=models.OuterRef("pk"), starts_at__isnull=False)
            .order_by("-starts_at")
            .annotate(year=ExtractYear("starts_at"))
            .values("year")[:1]
        )
        return self.annotate(concluded_year=Coalesce("edition_year", models.Subquery(last_year))).annotate(
            is_concluded=models.ExpressionWrapper(
                models.Q(models.Exists(meetings.filter(starts_at__lt=now)))
                & ~models.Q(models.Exists(meetings.filter(starts_at__gte=now)))
                & (
                    ~models.Q(models.Exists(meetings.filter(starts_at__isnull=True)))
                    | models.Q(concluded_year__lt=timezone.localdate(now).year)
                ),
                output_field=models.BooleanField(),
            )
        )

    def concluded(self) -> LabQuerySet:
        return self.with_concluded().filter(is_concluded=True)

    def in_list_order(self) -> LabQuerySet:
        """The order of the public list, as a municipal official reads it: labs with a meeting to come first, the
        soonest first; then the labs still without dates; then the concluded labs, the most recently ended first.
        Cancelled meetings count for none of these (they will not take place). Annotates ``next_meeting_at`` and
        ``last_meeting_at``; includes with_concluded()."""
        now = timezone.now()
        held = Meeting.objects.filter(lab=models.OuterRef("pk"), cancelled=False).order_by()
        next_start = held.filter(starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]
        last_start = held.filter(starts_at__lt=now).order_by("-starts_at").values("starts_at")[:1]
        return (
            self.with_concluded()
            .annotate(
                next_meeting_at=models.Subquery(next_start),
                last_meeting_at=models.Subquery(last_start),
                list_group=models.Case(
                    models.When(next_meeting_at__isnull=False, then=models.Value(0)),
                    models.When(is_concluded=True, then=models.Value(2)),
                    default=models.Value(1),
                ),
            )
            .order_by(
                "list_group",
                models.F("next_meeting_at").asc(),
                models.F("last_meeting_at").desc(nulls_last=True),
                models.F("edition_year").desc(nulls_last=True),
                "title",
                "pk",
            )
        )


class Lab(LocalizedTitleMixin, TimeStampedModel):
    title = models.CharField(_("titolo"), max_length=250)
    title_en = models.CharField(_("titolo (inglese)"), max_length=250, blank=True)
    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    # Empty when the source names no year (the portal states nothing rather than a guessed one).
    edition_year = models.PositiveSmallIntegerField(_("anno di edizione"), null=True, blank=True)
    subtitle = models.CharField(_("sottotitolo"), max_length=300, blank=True)
    subtitle_en = models.CharField(_("sottotitolo (inglese)"), max_length=300, blank=True)
    description = models.TextField(_("descrizione"))
    description_en = models.TextField(_("descrizione (inglese)"), blank=True)
    objectives = models.TextField(_("obiettivi"), blank=True, help_text=_("Un obiettivo per riga."))
    objectives_en = models.TextField(_("obiettivi (inglese)"), blank=True, help_text=_("Un obiettivo per riga."))
    participant_categories = models.TextField(
        _("chi partecipa"), blank=True, help_text=_("Una categoria per riga (sindaci, funzionari comunali, esperti…).")
    )
    participant_categories_en = models.TextField(
        _("chi partecipa (inglese)"),
        blank=True,
        help_text=_("Una categoria per riga (sindaci, funzionari comunali, esperti…)."),
    )
    organizer = models.CharField(_("organizzatore"), max_length=200, default="AnciLab – ANCI Lombardia")
    project = models.ForeignKey(
        Project,
        verbose_name=_("progetto"),
        related_name="labs",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    areas = models.ManyToManyField(Area, verbose_name=_("aree tematiche"), related_name="labs", blank=True)
    cover_image = PortalImageField(
        _("immagine di copertina"), upload_to="labs/", blank=True, validators=[validate_image]
    )
    cover_alt = models.CharField(_("testo alternativo della copertina"), max_length=250, blank=True)
    contact_email = models.EmailField(_("email di contatto"), blank=True)
    contact_phone = models.CharField(_("telefono di contatto"), max_length=40, blank=True)
    contact_notes = models.TextField(_("note sui contatti"), blank=True)
    contact_notes_en = models.TextField(_("note sui contatti (inglese)"), blank=True)
    expected_outputs = models.TextField(_("risultati attesi"), blank=True, help_text=_("Un risultato per riga."))
    expected_outputs_en = models.TextField(
        _("risultati attesi (inglese)"), blank=True, help_text=_("Un risultato per riga.")
    )
    # What the leaflets call "vantaggi per i partecipanti", and the rules a participant must follow (e.g. the Green Pass
    # for the 2021 in-person meetings): only what the source states, shown under "A chi è rivolto" and "Come si partecipa".
    benefits = models.TextField(_("vantaggi per chi partecipa"), blank=True, help_text=_("Un vantaggio per riga."))
    benefits_en = models.TextField(
        _("vantaggi per chi partecipa (inglese)"), blank=True, help_text=_("Un vantaggio per riga.")
    )
    participation_rules = models.TextField(
        _("regole di partecipazione"),
        blank=True,
        help_text=_("Ad esempio i requisiti per partecipare in presenza."),
    )
    participation_rules_en = models.TextField(_("regole di partecipazione (inglese)"), blank=True)
    # New labs are drafts: staff preview them on the site and publish explicitly (issue 16).
    published = models.BooleanField(_("pubblicato"), default=False, db_index=True)
    published_from = models.DateTimeField(
        _("pubblica dal"),
        null=True,
        blank=True,
        help_text=_("Se indicata, il laboratorio pubblicato compare sul sito solo da questo momento."),
    )

    # Who changed what and when, per object (staff audit trail, shown in the admin history).
    history = HistoricalRecords()
    objects = LabQuerySet.as_manager()

    class Meta:
        ordering = [models.F("edition_year").desc(nulls_last=True), "title"]
        verbose_name = _("laboratorio")
        verbose_name_plural = _("laboratori")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("labs:detail", kwargs={"slug": self.slug})

    def is_published_at(self, now: datetime.datetime) -> bool:
        """published_lab_q() on this row (for a meeting already loaded with its lab)."""
        return self.published and (self.published_from is None or self.published_from <= now)

    def clean(self) -> None:
        if self.cover_image and not self.cover_alt:
            raise ValidationError({"cover_alt": _("Descrivi l'immagine per chi non può vederla.")})

    def concluded(self, meetings=None, now: datetime.datetime | None = None) -> bool:
        """ "Concluso": at least one meeting took place and none is still to come. Cancelled meetings do not count; a
        meeting without a date keeps the lab open only until its year is over (the edition year, or else the year of
        its last dated meeting): a final event never dated in a past edition will not take place.
        `meetings`: the lab's meetings when the caller already has them (no query). LabQuerySet.with_concluded() is
        the same rule in SQL (annotation `is_concluded`), for lists and the "Conclusi" filter."""
        now = now or timezone.now()
        if meetings is None:
            meetings = list(self.meetings.all())
        held = [m for m in meetings if not m.cancelled]
        dated = [m.starts_at for m in held if m.starts_at is not None]
        if not any(start < now for start in dated) or any(start >= now for start in dated):
            return False
        if len(dated) == len(held):
            return True
        all_dated = [m.starts_at for m in meetings if m.starts_at is not None]
        year = self.edition_year if self.edition_year is not None else timezone.localtime(max(all_dated)).year
        return year < timezone.localdate(now).year

    @property
    def display_subtitle(self) -> str:
        return localized(self, "subtitle")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def display_contact_notes(self) -> str:
        return localized(self, "contact_notes")

    @property
    def display_participation_rules(self) -> str:
        return localized(self, "participation_rules")

    @property
    def benefit_list(self) -> list[str]:
        return self._lines(localized(self, "benefits"))

    # The lists are in the active language, like the display_* properties: pages and the programme PDF show them as is.
    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def objective_list(self) -> list[str]:
        return self._lines(localized(self, "objectives"))

    @property
    def participant_list(self) -> list[str]:
        return self._lines(localized(self, "participant_categories"))

    @property
    def output_list(self) -> list[str]:
        return self._lines(localized(self, "expected_outputs"))


class LabContact(models.Model):
    """A named person to ask about the lab ("Per informazioni: Nicol Mondin - tel. 347 9986136"), listed in the lab
    page's "Contatti" and in the programme PDF after the lab's own e-mail and phone."""

    lab = models.ForeignKey(Lab, related_name="contacts", on_delete=models.CASCADE)
    name = models.CharField(_("nome e cognome"), max_length=120)
    role = models.CharField(_("ruolo"), max_length=120, blank=True)
    role_en = models.CharField(_("ruolo (inglese)"), max_length=120, blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("referente")
        verbose_name_plural = _("referenti")

    def __str__(self) -> str:
        return self.name

    @property
    def display_role(self) -> str:
        return localized(self, "role")


class MeetingQuerySet(models.QuerySet):
    def published(self) -> MeetingQuerySet:
        """A meeting is public when its lab is (meetings have no publication of their own)."""
        return self.filter(published_lab_q("lab__"))

    def upcoming(self, *, with_cancelled: bool = False) -> MeetingQuerySet:
        """Meetings still to come, soonest first. Lists of what one can attend leave cancelled ones out; the global
        calendar keeps them (with_cancelled=True) so subscribers see them marked CANCELLED instead of vanishing."""
        upcoming = self.filter(starts_at__gte=timezone.now()).order_by("starts_at")
        return upcoming if with_cancelled else upcoming.filter(cancelled=False)

    def past(self) -> MeetingQuerySet:
        return self.filter(starts_at__lt=timezone.now()).order_by("-starts_at")

    def open_for_registration(self) -> MeetingQuerySet:
        """Meetings a person may register for now: published, not cancelled, in the future, inside their window.
        The SQL form of Meeting.registration_closed_reason() (pinned against it in tests/labs/test_models.py)."""
        now = timezone.now()
        return self.published().filter(
            models.Q(registration_opens_at__isnull=True) | models.Q(registration_opens_at__lte=now),
            models.Q(registration_closes_at__isnull=True) | models.Q(registration_closes_at__gt=now),
            cancelled=False,
            starts_at__gt=now,
        )

    def with_seats_taken(self) -> MeetingQuerySet:
        """Annotate ``seats_taken`` (registrations holding a seat) in the same query, for any number of meetings.

        "Holds a seat" is the registrations app's rule (RegistrationQuerySet.holding_seat); registrations depends on
        labs, not the other way round, so the rule is reached through the reverse relation instead of an import."""
        registrations = self.model.registrations.rel.related_model.objects
        held = registrations.holding_seat().filter(meeting=models.OuterRef("pk")).order_by()

        def count(mode) -> Coalesce:
            rows = held.filter(attendance_mode=mode).values("meeting").annotate(count=models.Count("pk"))
            return Coalesce(models.Subquery(rows.values("count")), 0)

        # `seats_taken` counts against `capacity`: the seats of a single-mode meeting (all its registrations have its
        # mode), the room of a hybrid one; `online_seats_taken` the online seats of a hybrid meeting (capacity_for).
        capacity_mode = models.Case(
            models.When(format=Meeting.Format.ONLINE, then=models.Value(Meeting.Mode.ONLINE.value)),
            default=models.Value(Meeting.Mode.IN_PERSON.value),
        )
        return self.alias(capacity_mode_=capacity_mode).annotate(
            seats_taken=count(models.OuterRef("capacity_mode_")),
            online_seats_taken=models.Case(
                models.When(format=Meeting.Format.HYBRID, then=count(Meeting.Mode.ONLINE)), default=models.Value(0)
            ),
        )


class Meeting(LocalizedTitleMixin, TimeStampedModel):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("incontro")
        FINAL_CONFERENCE = "final_conference", _("convegno finale")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("in presenza")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("in presenza e online")

    class Mode(models.TextChoices):
        """How one person attends (Registration.attendance_mode): a hybrid meeting offers both."""

        IN_PERSON = "in_person", _("in presenza")
        ONLINE = "online", _("online")

    class Audience(models.TextChoices):
        OPEN = "open", _("aperto a tutti")
        PUBLIC_ADMINISTRATIONS = "public_administrations", _("riservato alle pubbliche amministrazioni")

    lab = models.ForeignKey(Lab, verbose_name=_("laboratorio"), related_name="meetings", on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(_("ordine"), default=1)
    title = models.CharField(_("titolo"), max_length=250)
    title_en = models.CharField(_("titolo (inglese)"), max_length=250, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    agenda = models.TextField(_("programma"), blank=True)
    agenda_en = models.TextField(_("programma (inglese)"), blank=True)
    starts_at = models.DateTimeField(
        _("inizio"),
        null=True,
        blank=True,
        help_text=_("Vuoto: data da definire."),
        validators=[validate_plausible_datetime],
    )
    ends_at = models.DateTimeField(_("fine"), null=True, blank=True, validators=[validate_plausible_datetime])
    format = models.CharField(_("modalità"), max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.ForeignKey(
        Venue, verbose_name=_("sede"), related_name="meetings", on_delete=models.PROTECT, null=True, blank=True
    )
    # Private: sent only to confirmed registrants by email and on their manage page; never on a public page or PDF.
    online_url = models.URLField(_("link all'incontro online"), blank=True, max_length=500)
    # The seats of the one mode a meeting has (`capacity_for`): the room of an in-person or hybrid meeting, the call of
    # an online meeting. A hybrid meeting's online seats are `online_capacity`.
    capacity = models.PositiveIntegerField(
        _("posti disponibili"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Vuoto: posti illimitati. Per un incontro ibrido sono i posti in sala; quelli online sono sotto."),
    )
    online_capacity = models.PositiveIntegerField(
        _("posti online (incontro ibrido)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Solo per gli incontri ibridi. Vuoto: posti online illimitati."),
    )
    registration_opens_at = models.DateTimeField(
        _("apertura iscrizioni"), null=True, blank=True, validators=[validate_plausible_datetime]
    )
    registration_closes_at = models.DateTimeField(
        _("chiusura iscrizioni"), null=True, blank=True, validators=[validate_plausible_datetime]
    )
    audience = models.CharField(_("destinatari"), max_length=24, choices=Audience.choices, default=Audience.OPEN)
    requires_confirmation = models.BooleanField(
        _("gli iscritti confermano l'indirizzo email"),
        default=True,
        help_text=_(
            "Doppia conferma: una nuova iscrizione tiene il posto finché la persona non apre il link ricevuto via email."
        ),
    )
    is_sample = models.BooleanField(
        _("data di esempio"), default=False, help_text=_("La data è un esempio plausibile, non una data annunciata.")
    )
    cancelled = models.BooleanField(_("annullato"), default=False)
    # iCalendar SEQUENCE: calendar programs replace an event they already hold only by a file with a higher sequence.
    sequence = models.PositiveIntegerField(
        _("revisione del calendario"),
        default=0,
        editable=False,
        help_text=_("Aumenta di uno quando cambiano data, orario, sede, modalità, link online o annullamento."),
    )

    # Who changed what and when, per object (staff audit trail, shown in the admin history).
    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["lab", "order", "starts_at"]
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1), name="meeting_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(online_capacity__isnull=True) | models.Q(online_capacity__gte=1),
                name="meeting_online_capacity_positive",
            ),
        ]

    # A change to any of these moves the event in people's calendars, so it bumps `sequence`.
    CALENDAR_FIELDS = ("starts_at", "ends_at", "venue_id", "format", "online_url", "cancelled")

    def __str__(self) -> str:
        return f"{self.lab.title} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("labs:meeting_detail", kwargs={"pk": self.pk})

    # The sequence is kept here, in the model, rather than in a service or an admin form: a meeting is moved from its
    # change form, the lab page's inline, an import, the edition copier or a service, and every one of them ends in
    # save(). Comparing with the values as loaded (from_db) costs no query.
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_calendar_fields()
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        self._remember_calendar_fields(None if fields is None else self._attnames(fields))

    def _remember_calendar_fields(self, written=None) -> None:
        """Remember the values now in the database: all loaded fields, or after a save with update_fields only those
        written (the others keep their loaded values, the database still has them). Deferred fields are left out: a
        field never loaded cannot have been changed through this instance."""
        loaded = getattr(self, "_calendar_loaded", {})
        for name in self.CALENDAR_FIELDS:
            if name in self.__dict__ and (written is None or name in written):
                loaded[name] = self.__dict__[name]
        self._calendar_loaded = loaded

    def calendar_changed(self, update_fields=None) -> bool:
        """Whether a field that people's calendars show differs from its value when this instance was loaded (among
        `update_fields` when a save writes only those)."""
        loaded = getattr(self, "_calendar_loaded", None)
        if self._state.adding or not loaded:
            return False
        if update_fields is not None:
            written = self._attnames(update_fields)
            loaded = {name: value for name, value in loaded.items() if name in written}
        return any(getattr(self, name) != value for name, value in loaded.items())

    def _attnames(self, field_names) -> set[str]:
        return {self._meta.get_field(name).attname for name in field_names}

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if self.calendar_changed(update_fields):
            self.sequence += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)
        self._remember_calendar_fields(None if update_fields is None else self._attnames(update_fields))

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("La fine deve essere successiva all'inizio.")
        if self.ends_at and not self.starts_at:
            errors["starts_at"] = _("Indica anche l'inizio, oppure lascia vuoti entrambi per «data da definire».")
        # A meeting whose date is still to be defined may not have a venue yet either.
        if self.format in (self.Format.IN_PERSON, self.Format.HYBRID) and self.venue_id is None and self.starts_at:
            errors["venue"] = _("Un incontro in presenza o ibrido richiede una sede.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("La chiusura delle iscrizioni deve seguire l'apertura.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_agenda(self) -> str:
        return localized(self, "agenda")

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    # --- Attendance modes and their seats: the one definition (services, forms, pages, exports use these) ----------
    # An in-person meeting has one mode (in presenza) whose seats are `capacity`; an online meeting has one mode
    # (online) whose seats are also `capacity` (as before hybrid meetings had modes); a hybrid meeting has both: the
    # room is `capacity`, the online seats `online_capacity` (None: unlimited). Each mode has its own waiting list.
    @property
    def is_hybrid(self) -> bool:
        return self.format == self.Format.HYBRID

    @property
    def attendance_modes(self) -> list[str]:
        if self.format == self.Format.HYBRID:
            return [self.Mode.IN_PERSON, self.Mode.ONLINE]
        return [self.Mode.ONLINE if self.format == self.Format.ONLINE else self.Mode.IN_PERSON]

    @property
    def default_mode(self) -> str | None:
        """The mode of a single-mode meeting; None for a hybrid meeting (the person chooses)."""
        modes = self.attendance_modes
        return modes[0] if len(modes) == 1 else None

    @property
    def capacity_mode(self) -> str:
        """The mode whose seats are `capacity`: online for an online meeting, in presenza otherwise."""
        return self.Mode.ONLINE if self.format == self.Format.ONLINE else self.Mode.IN_PERSON

    def capacity_for(self, mode: str) -> int | None:
        """The seats of one attendance mode (None: unlimited)."""
        if self.format == self.Format.HYBRID and mode == self.Mode.ONLINE:
            return self.online_capacity
        return self.capacity

    @property
    def online_seats_left(self) -> int | None:
        """Free online seats of a hybrid meeting, None when unlimited (or not hybrid). Lists annotate
        ``online_seats_taken`` with MeetingQuerySet.with_seats_taken() so this costs no query."""
        if not self.is_hybrid or self.online_capacity is None:
            return None
        taken = getattr(self, "online_seats_taken", None)
        if taken is None:
            taken = self.registrations.holding_seat().filter(attendance_mode=self.Mode.ONLINE).count()
        return max(self.online_capacity - taken, 0)

    @property
    def has_started(self) -> bool:
        """A meeting that started is over for the public pages: no seats, no registration, "Incontro concluso"."""
        return self.starts_at is not None and self.starts_at <= timezone.now()

    @property
    def date_to_be_defined(self) -> bool:
        return self.starts_at is None

    @property
    def seats_left(self) -> int | None:
        """Free seats of `capacity` (the room of a hybrid meeting), None when unlimited. Lists use
        MeetingQuerySet.with_seats_taken() so this costs no query."""
        if self.capacity is None:
            return None
        taken = getattr(self, "seats_taken", None)
        if taken is None:
            taken = self.registrations.holding_seat().filter(attendance_mode=self.capacity_mode).count()
        return max(self.capacity - taken, 0)

    @property
    def is_full(self) -> bool:
        """No free seat in any way the meeting can be attended: a new registration joins a waiting list. A hybrid
        meeting with the room full still has seats while online is unlimited or not full."""
        if self.seats_left != 0:
            return False
        return not self.is_hybrid or self.online_seats_left == 0

    @property
    def room_full_online_open(self) -> bool:
        """A hybrid meeting whose room is full while people can still join online."""
        return self.is_hybrid and self.seats_left == 0 and not self.is_full

    def registration_closed_reason(self, now: datetime.datetime | None = None) -> str | None:
        """Why a person cannot register for this meeting now ("cancelled", "no_date", "past", "not_open_yet",
        "closed", "unpublished"), or None when registration is open.

        The one definition of "registration is open": the property below, the registration service (which words each
        reason for the person) and the pages use it; MeetingQuerySet.open_for_registration() is the same rule in SQL,
        pinned against this method in tests/labs/test_models.py."""
        now = now or timezone.now()
        if self.cancelled:
            return "cancelled"
        if self.starts_at is None:
            return "no_date"
        if self.starts_at <= now:
            return "past"
        if self.registration_opens_at and self.registration_opens_at > now:
            return "not_open_yet"
        if self.registration_closes_at and self.registration_closes_at <= now:
            return "closed"
        if not self.lab.is_published_at(now):
            return "unpublished"
        return None

    @property
    def registration_open(self) -> bool:
        return self.registration_closed_reason() is None


# --- Materials and recordings of a meeting (issues 15 and 16: "the meeting's afterlife") ---------------------------
# Office documents are zip containers; a PDF starts with "%PDF-". The first bytes must agree with the extension, so a
# renamed executable or page is refused. The cap keeps the media volume small: long videos are links (recordings).
MATERIAL_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp")
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
# The Content-Type of a download, from the extension the validators allowed (not from the server's mime.types, which
# may lack the OpenDocument ones).
MATERIAL_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def validate_material_file(file) -> None:
    """A meeting material: at most MATERIAL_MAX_BYTES, and a PDF or an office file (a zip) whose content matches its
    extension. Not core.validators.validate_document: that one accepts only PDF and EPUB files, with no size cap."""
    if file is None:
        return
    size = getattr(file, "size", None)
    if size is not None and size > MATERIAL_MAX_BYTES:
        raise ValidationError(
            _("Il file è troppo grande (%(size)s); il massimo è %(max)s."),
            code="material_too_large",
            params={"size": filesizeformat(size), "max": filesizeformat(MATERIAL_MAX_BYTES)},
        )
    head = file_head(file, 8)
    extension = (getattr(file, "name", "") or "").lower().rsplit(".", 1)[-1]
    if extension not in MATERIAL_EXTENSIONS:
        return  # FileExtensionValidator says so, in one message
    expected = PDF_SIGNATURE if extension == "pdf" else ZIP_SIGNATURE
    if not head.startswith(expected):
        raise ValidationError(_("Il contenuto del file non corrisponde alla sua estensione."), code="material_content")


class MeetingMaterialQuerySet(models.QuerySet):
    def published(self) -> MeetingMaterialQuerySet:
        """Public: ticked "pubblicato" and on a public meeting (a material of a draft lab is a draft too). The meeting
        page lists these and the download (labs.material_views) serves only these to the public."""
        return self.filter(published_lab_q("meeting__lab__"), published=True)


class MeetingMaterial(LocalizedTitleMixin, TimeStampedModel):
    """A document (an uploaded file), a recording or another link, shown on the meeting page once published.

    The file is private until then: /media/ does not serve materiali/ (core.visibility.PUBLIC_MEDIA_FOLDERS), the
    download view applies the published rule and staff's preview."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("documento")
        RECORDING = "recording", _("registrazione")
        LINK = "link", _("altro link")

    meeting = models.ForeignKey(Meeting, verbose_name=_("incontro"), related_name="materials", on_delete=models.CASCADE)
    title = models.CharField(_("titolo"), max_length=250)
    title_en = models.CharField(_("titolo (inglese)"), max_length=250, blank=True)
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    file = models.FileField(
        _("file"),
        upload_to="materiali/%Y/",
        blank=True,
        validators=[
            FileExtensionValidator(
                list(MATERIAL_EXTENSIONS),
                message=_("Formato «%(extension)s» non ammesso: carica un file %(allowed_extensions)s."),
            ),
            validate_material_file,
        ],
        help_text=_("PDF o documento Office/OpenDocument, al massimo 20 MB."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    published = models.BooleanField(_("pubblicato"), default=False)
    position = models.PositiveSmallIntegerField(_("posizione"), default=0)

    objects = MeetingMaterialQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("materiale dell'incontro")
        verbose_name_plural = _("materiali e registrazioni")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.DOCUMENT:
            if not self.file:
                raise ValidationError({"file": _("Un documento richiede un file.")})
            if self.url:
                raise ValidationError({"url": _("Un documento è un file: lascia vuoto il link.")})
        else:
            if not self.url:
                raise ValidationError({"url": _("Una registrazione o un link richiede l'indirizzo.")})
            if self.file:
                raise ValidationError({"file": _("Una registrazione o un link non ha un file: usa il campo link.")})

    @property
    def href(self) -> str:
        return reverse("labs:material_download", kwargs={"pk": self.pk}) if self.file else self.url

    @property
    def content_type(self) -> str:
        return MATERIAL_CONTENT_TYPES.get(self.file_extension.lower(), "application/octet-stream")

    @property
    def download_name(self) -> str:
        """The file's name on the visitor's disk: the title, not the stored name (with its random suffix)."""
        return f"{slugify(self.title) or 'materiale'}.{self.file_extension.lower()}"

    @property
    def file_extension(self) -> str:
        """ "PDF", "DOCX"… for the link's label (people want to know what they download)."""
        return self.file.name.rsplit(".", 1)[-1].upper() if self.file else ""
