"""Registrations to lab meetings. The rules (capacity, waiting list, opt-in) live in registrations/services.py."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ancilab_portal.models import TimeStampedModel
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
        """Registrations that take a seat: pending (held while the address is confirmed) and confirmed."""
        return self.filter(status__in=[Registration.Status.PENDING, Registration.Status.CONFIRMED])

    def confirmed(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")


class Registration(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("in attesa di conferma")
        CONFIRMED = "confirmed", _("confermata")
        WAITLISTED = "waitlisted", _("lista d'attesa")
        CANCELLED = "cancelled", _("annullato")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("incontro"), related_name="registrations", on_delete=models.PROTECT
    )
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    email = models.EmailField(_("email"))
    organization = models.CharField(_("ente"), max_length=200)
    organization_type = models.CharField(_("tipo di ente"), max_length=20, choices=OrganizationType.choices)
    role = models.CharField(_("ruolo"), max_length=120, blank=True)
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
