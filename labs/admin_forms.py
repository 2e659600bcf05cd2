"""Forms of the labs back-office: the meeting change form and the "new edition" action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.admin_actions import ActionForm

from .models import Meeting


class DuplicateEditionForm(ActionForm):
    days = forms.IntegerField(
        label=_("Sposta le date di (giorni)"),
        min_value=-3650,
        max_value=3650,
        initial=364,
        help_text=_("364 giorni = 52 settimane: gli incontri restano nello stesso giorno della settimana."),
    )


MEETING_NOTIFY_FIELDS = ["starts_at", "ends_at", "venue", "online_url", "format", "cancelled"]


class MeetingAdminForm(forms.ModelForm):
    notify_registrants = forms.BooleanField(
        label=_("Avvisa gli iscritti della modifica"),
        required=False,
        help_text=_(
            "Se cambi data, orario, sede, modalità o link, oppure annulli l'incontro, ogni iscritto riceve un'email."
        ),
    )

    class Meta:
        model = Meeting
        # The admin decides the layout; every editable field of the meeting may appear on it.
        fields = [
            "lab",
            "order",
            "title",
            "title_en",
            "kind",
            "agenda",
            "agenda_en",
            "starts_at",
            "ends_at",
            "format",
            "venue",
            "online_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "audience",
            "requires_confirmation",
            "is_sample",
            "cancelled",
        ]
