"""Forms of the registrations back-office actions (message, move, per-person GDPR pages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.admin_actions import ActionForm
from labs.models import Meeting


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
