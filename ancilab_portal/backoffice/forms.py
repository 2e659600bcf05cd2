"""Forms of the back-office's intermediate pages (admin actions that need a parameter)."""

from __future__ import annotations

from django import forms
from django.contrib.admin import helpers
from django.utils.translation import gettext_lazy as _

from labs.models import Meeting


class ActionForm(forms.Form):
    """Carries the changelist selection through an intermediate page, the way Django's delete confirmation does."""

    action = forms.CharField(widget=forms.HiddenInput)
    select_across = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DuplicateEditionForm(ActionForm):
    days = forms.IntegerField(
        label=_("Sposta le date di (giorni)"),
        min_value=-3650,
        max_value=3650,
        initial=364,
        help_text=_("364 giorni = 52 settimane: gli incontri restano nello stesso giorno della settimana."),
    )


class StaffMessageForm(ActionForm):
    subject = forms.CharField(label=_("Oggetto"), max_length=200)
    body = forms.CharField(label=_("Testo"), widget=forms.Textarea(attrs={"rows": 10}), max_length=10_000)


class MoveRegistrationsForm(ActionForm):
    meeting = forms.ModelChoiceField(
        label=_("Sposta all'incontro"),
        queryset=Meeting.objects.filter(cancelled=False).select_related("lab").order_by("-starts_at"),
    )


class PersonForm(ActionForm):
    pass


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


SELECTED = helpers.ACTION_CHECKBOX_NAME
