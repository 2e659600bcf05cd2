"""Registrations to lab meetings. The rules (capacity, waiting list, opt-in) live in registrations/services.py."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from labs.models import Meeting


def new_token() -> str:
    return secrets.token_urlsafe(32)


class OrganizationType(models.TextChoices):
    COMUNE = "comune", _("Comune")
    PROVINCIA = "provincia", _("Provincia / Città metropolitana")
    UNIONE = "unione", _("Unione di comuni")
    REGIONE = "regione", _("Regione")
    ALTRA_PA = "altra_pa", _("Altra pubblica amministrazione")
    UNIVERSITA = "universita", _("Università")
    AZIENDA = "azienda", _("Azienda")
    TERZO_SETTORE = "terzo_settore", _("Terzo settore")
    ALTRO = "altro", _("Altro")


# Organisation types admitted to meetings reserved to public administrations.
PUBLIC_ADMINISTRATION_TYPES = frozenset(
    {
        OrganizationType.COMUNE,
        OrganizationType.PROVINCIA,
        OrganizationType.UNIONE,
        OrganizationType.REGIONE,
        OrganizationType.ALTRA_PA,
    }
)


class RegistrationQuerySet(models.QuerySet):
    def holding_seat(self) -> RegistrationQuerySet:
        """Registrations that take a seat (HOLDS_SEAT)."""
        return self.filter(status__in=HOLDS_SEAT)

    def active(self) -> RegistrationQuerySet:
        """Registrations still in play (ACTIVE): they hold a seat or wait for one."""
        return self.filter(status__in=ACTIVE)

    def confirmed(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("in attesa di conferma")
        CONFIRMED = "confirmed", _("confermata")
        WAITLISTED = "waitlisted", _("lista d'attesa")
        CANCELLED = "cancelled", _("annullata")
        # The address was not confirmed in time: the held seat went back to the pool (or to the waiting list).
        EXPIRED = "expired", _("scaduta")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("incontro"), related_name="registrations", on_delete=models.PROTECT
    )
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    email = models.EmailField(_("email"))
    organization = models.CharField(_("ente"), max_length=200)
    organization_type = models.CharField(_("tipo di ente"), max_length=20, choices=OrganizationType.choices)
    # Set only when the person chose a suggestion of the ISTAT list and the name sent matches it (forms.py).
    organization_code = models.CharField(_("codice ISTAT ente"), max_length=6, blank=True)
    role = models.CharField(_("ruolo"), max_length=120, blank=True)
    # How the person attends: chosen on a hybrid meeting, the meeting's one mode otherwise (Meeting.attendance_modes).
    # Seats, waiting lists and promotion are per mode; changed only through services.registration_switch_mode.
    attendance_mode = models.CharField(
        _("partecipazione"),
        max_length=10,
        choices=Meeting.Mode.choices,
        default=Meeting.Mode.IN_PERSON,
        db_index=True,
    )
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    privacy_acknowledged_at = models.DateTimeField(_("informativa privacy letta il"))
    newsletter_consent = models.BooleanField(_("consenso newsletter"), default=False)
    language = models.CharField(_("lingua"), max_length=5, default="it")
    hold_expires_at = models.DateTimeField(_("posto riservato fino al"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confermata il"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annullata il"), null=True, blank=True)
    attended = models.BooleanField(_("presente"), default=False)
    attended_at = models.DateTimeField(_("presenza registrata il"), null=True, blank=True)
    # Set in the same transaction that queues the reminder email, so the reminder goes out once.
    reminder_sent_at = models.DateTimeField(_("promemoria inviato il"), null=True, blank=True)
    # Registrations made in one submission ("iscriviti a tutto il laboratorio") share a batch: one confirmation email
    # and one click confirm them all.
    batch = models.CharField(_("gruppo di iscrizioni"), max_length=32, blank=True, db_index=True, editable=False)
    # Registrations typed by the secretariat (on behalf of a person who phoned or wrote, or a walk-in at the door):
    # who typed it, and why a rule (capacity, eligibility, closed registration) was set aside, when one was.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("iscritta dallo staff"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
    )
    override_reason = models.TextField(_("motivo della deroga"), blank=True, editable=False)

    # Who changed what and when, per object (staff audit trail, shown in the admin history).
    history = HistoricalRecords()
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "created_at"]
        verbose_name = _("iscrizione")
        verbose_name_plural = _("iscrizioni")
        constraints = [
            # One registration per person and meeting: a second submission re-sends the confirmation instead.
            models.UniqueConstraint(Lower("email"), "meeting", name="registration_unique_email_per_meeting"),
        ]
        indexes = [models.Index(fields=["meeting", "status", "created_at"], name="registration_meeting_status")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} – {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("registrations:manage", kwargs={"token": self.token})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def attends_online(self) -> bool:
        return self.attendance_mode == Meeting.Mode.ONLINE

    @property
    def attends_in_person(self) -> bool:
        return self.attendance_mode == Meeting.Mode.IN_PERSON


# "Holds a seat": pending (the seat is held while the address is confirmed) and confirmed. The one definition: the
# querysets, the registration services (and their SQL), the dashboard, reports and the admin all use it.
HOLDS_SEAT = (Registration.Status.PENDING, Registration.Status.CONFIRMED)
# Still in play: holds a seat or waits for one. Cancelled and expired registrations are neither.
ACTIVE = (*HOLDS_SEAT, Registration.Status.WAITLISTED)


# Registrations erased (GDPR) or purged get an address in this reserved domain (RFC 2606 ".invalid"): gdpr.py writes
# it, and the outbox never queues mail to it (outbox.email_enqueue).
ANONYMOUS_DOMAIN = "anonimo.invalid"


def is_anonymised(email: str) -> bool:
    return email.strip().lower().endswith(f"@{ANONYMOUS_DOMAIN}")


class OutboundEmail(TimeStampedModel):
    """One outgoing email (the outbox). Written in the transaction that causes it; a task sends it after commit.

    The row's status is the truth: a worker claims it with a conditional UPDATE (queued → sending), so two workers
    or a task run twice never send the same row twice; a periodic sweeper re-enqueues rows left queued (Redis was
    down at commit) and reclaims rows stuck in "sending" (worker killed mid-send). See registrations/outbox.py.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in coda")
        SENDING = "sending", _("in invio")
        SENT = "sent", _("inviata")
        FAILED = "failed", _("non recapitabile")

    to = models.EmailField(_("destinatario"))
    template = models.CharField(_("modello"), max_length=60)
    language = models.CharField(_("lingua"), max_length=5, default="it")
    # Primitives only (ids, numbers, strings): the worker renders the email when it sends it, so the registration
    # request never spends time on templates while it holds the meeting lock.
    context = models.JSONField(_("dati del messaggio"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Filled in by the worker with exactly what it sent (what staff see in the admin).
    subject = models.CharField(_("oggetto"), max_length=255, blank=True)
    body_text = models.TextField(_("testo"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"kind": "registration_ics"}] (made when sending) or [{"filename", "content", "mimetype"}] (text, as given).
    attachments = models.JSONField(_("allegati"), default=list, blank=True)
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("iscrizione"),
        related_name="emails",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    status = models.CharField(_("stato"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    last_error = models.TextField(_("ultimo errore"), blank=True)
    next_attempt_at = models.DateTimeField(_("prossimo tentativo"), default=timezone.now)
    claimed_at = models.DateTimeField(_("preso in carico il"), null=True, blank=True)
    sent_at = models.DateTimeField(_("inviata il"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("email in uscita")
        verbose_name_plural = _("email in uscita")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due")]

    def __str__(self) -> str:
        return f"{self.template} → {self.to} ({self.get_status_display()})"


# Verification codes: no 0/O, 1/I/L or U/V pairs a reader could confuse when typing the code from paper.
CERTIFICATE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ2345679"
CERTIFICATE_CODE_LENGTH = 10


def new_certificate_code() -> str:
    """10 characters of a 28-letter alphabet: about 48 bits, unguessable behind the verification page's rate limit."""
    return "".join(secrets.choice(CERTIFICATE_CODE_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))


class Certificate(TimeStampedModel):
    """An attendance certificate issued to a person (an email address) for one meeting or for a whole lab.

    Issued once per (person, meeting) and per (person, lab) by registrations/certificates.py, which also refreshes the
    hours when attendance changes later; the code stays the same, so a printed certificate stays verifiable. Name and
    organisation are a snapshot of the person's registration, what the public verification page shows (never the
    email). ``emailed_at`` is set in the transaction that queues the certificate email: the bulk send runs once.
    """

    class Kind(models.TextChoices):
        MEETING = "meeting", _("incontro")
        LAB = "lab", _("laboratorio")

    code = models.CharField(
        _("codice di verifica"), max_length=16, unique=True, default=new_certificate_code, editable=False
    )
    kind = models.CharField(_("tipo"), max_length=8, choices=Kind.choices)
    lab = models.ForeignKey(
        "labs.Lab", verbose_name=_("laboratorio"), related_name="certificates", on_delete=models.PROTECT
    )
    # Only for kind "meeting".
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("incontro"),
        related_name="certificates",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # The registration whose token opens the certificate (the latest one attended, for a lab certificate).
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("iscrizione"),
        related_name="certificates",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    email = models.EmailField(_("email"))
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    organization = models.CharField(_("ente"), max_length=200, blank=True)
    role = models.CharField(_("ruolo"), max_length=120, blank=True)
    # None when no meeting attended has both a start and an end (its length is unknown).
    hours_attended = models.DecimalField(_("ore di presenza"), max_digits=6, decimal_places=1, null=True, blank=True)
    hours_offered = models.DecimalField(_("ore previste"), max_digits=6, decimal_places=1, null=True, blank=True)
    meetings_attended = models.PositiveSmallIntegerField(_("incontri frequentati"), default=0)
    meetings_offered = models.PositiveSmallIntegerField(_("incontri svolti"), default=0)
    issued_at = models.DateTimeField(_("emesso il"), default=timezone.now)
    emailed_at = models.DateTimeField(_("inviato il"), null=True, blank=True)
    # The outbox row of that email: its status and sending time are the log staff read.
    email_message = models.ForeignKey(
        OutboundEmail,
        verbose_name=_("email dell'attestato"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-issued_at", "pk"]
        verbose_name = _("attestato")
        verbose_name_plural = _("attestati")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "meeting",
                condition=models.Q(kind="meeting"),
                name="certificate_unique_per_person_meeting",
            ),
            models.UniqueConstraint(
                Lower("email"), "lab", condition=models.Q(kind="lab"), name="certificate_unique_per_person_lab"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="lab", meeting__isnull=True) | models.Q(kind="meeting", meeting__isnull=False),
                name="certificate_meeting_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} – {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("registrations:certificate_detail", kwargs={"code": self.code})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_code(self) -> str:
        """ "ABCDE-FGHJK": easier to read aloud and to type back."""
        return f"{self.code[:5]}-{self.code[5:]}"


# --- The log of what staff wrote to a meeting's registrants (registrations/messaging.py) ---------------------------
class StaffMessage(models.Model):
    """One message staff sent to a group of a meeting's registrants: what, to which group, with which attachment,
    by whom, and the outbox rows it became (one per person: who received it, and whether it was delivered)."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("iscritti confermati")
        PENDING = "pending", _("in attesa di conferma")
        WAITLISTED = "waitlisted", _("in lista d'attesa")
        ATTENDED = "attended", _("presenti all'incontro")
        ABSENT = "absent", _("confermati ma assenti")
        ACTIVE = "active", _("tutti gli iscritti attivi (confermati, in attesa, in lista d'attesa)")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("incontro"), related_name="staff_messages", on_delete=models.CASCADE
    )
    audience = models.CharField(_("destinatari"), max_length=12, choices=Audience.choices)
    subject = models.CharField(_("oggetto"), max_length=200)
    body = models.TextField(_("testo"))
    attachment = models.FileField(_("allegato"), upload_to="messaggi/%Y/", blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inviato da"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("inviato il"), default=timezone.now)
    emails = models.ManyToManyField(OutboundEmail, verbose_name=_("email"), related_name="staff_messages", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("messaggio agli iscritti")
        verbose_name_plural = _("messaggi agli iscritti")

    def __str__(self) -> str:
        return self.subject
