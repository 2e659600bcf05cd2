from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from core.admin_actions import ActionForm

from .models import Questionnaire


class FollowUpForm(ActionForm):
    include_absent = forms.BooleanField(
        label=gettext_lazy("Scrivi anche agli iscritti assenti"),
        required=False,
        help_text=gettext_lazy(
            "Gli iscritti confermati non presenti ricevono i materiali e l'invito al questionario (senza attestato)."
        ),
    )
    questionnaire = forms.ModelChoiceField(
        label=gettext_lazy("Questionario"),
        queryset=Questionnaire.objects.all(),
        required=False,
        empty_label=gettext_lazy("Quello predefinito"),
    )
