"""The public registration form. Only what the registration needs is asked (GDPR data minimisation)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import single_line
from labs.models import Meeting

from .models import OrganizationType
from .municipalities import matching_code


class SingleLineField(forms.CharField):
    """A name, an Ente, a role: one line of text (core.validators.single_line), cleaned before Django's validators,
    so a NUL byte is removed rather than refused and a newline can never reach an email."""

    def to_python(self, value):
        return single_line(super().to_python(value))


class RadioGroup(forms.RadioSelect):
    """Radio buttons whose field is reached at its first option (the error summary links to it)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class RegistrationForm(forms.Form):
    first_name = SingleLineField(label=_("Nome"), max_length=100, error_messages={"required": _("Scrivi il tuo nome.")})
    last_name = SingleLineField(
        label=_("Cognome"), max_length=100, error_messages={"required": _("Scrivi il tuo cognome.")}
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Qui ricevi la conferma e, per gli incontri online, il link per partecipare."),
        error_messages={
            "required": _("Scrivi il tuo indirizzo email."),
            "invalid": _("Scrivi un indirizzo email valido, per esempio nome.cognome@comune.esempio.it."),
        },
    )
    organization = SingleLineField(
        label=_("Ente"),
        max_length=200,
        help_text=_(
            "Il Comune o l'ente per cui lavori: scrivendo ti suggeriamo Comuni, Province e Città metropolitane."
        ),
        error_messages={"required": _("Scrivi il nome del tuo ente.")},
    )
    # The ISTAT code of the suggestion chosen in the "Ente" combobox (filled by organization-picker.js). No length
    # limit here: clean() drops anything that is not a code of the list, the person never sees an error for it.
    organization_code = forms.CharField(required=False, widget=forms.HiddenInput)
    organization_type = forms.ChoiceField(
        label=_("Tipo di ente"),
        choices=[("", _("Scegli il tipo di ente")), *OrganizationType.choices],
        error_messages={
            "required": _("Scegli il tipo di ente."),
            "invalid_choice": _("Scegli il tipo di ente dall'elenco."),
        },
    )
    role = SingleLineField(label=_("Ruolo"), max_length=120, required=False, help_text=_("Facoltativo."))
    # Legal basis is the registration itself (not consent): the person declares having read the notice.
    privacy = forms.BooleanField(
        label=_("Dichiaro di aver letto l'informativa privacy"),
        error_messages={"required": _("Per iscriverti dichiara di aver letto l'informativa privacy.")},
    )
    # A separate, optional, unticked consent (PA-CONVENTIONS: never bundled with the registration).
    newsletter_consent = forms.BooleanField(
        label=_("Desidero ricevere la newsletter di AnciLab (facoltativo)"), required=False
    )
    # Asked only when a hybrid meeting is concerned (the form is built with `asks_mode`); otherwise removed.
    attendance_mode = forms.ChoiceField(
        label=_("Come partecipi?"),
        choices=Meeting.Mode.choices,
        widget=RadioGroup,
        error_messages={
            "required": _("Scegli se partecipi in presenza o online."),
            "invalid_choice": _("Scegli se partecipi in presenza o online."),
        },
    )
    # Honeypot: hidden from people and assistive technology; bots that fill every field fill this one too.
    website = forms.CharField(label=_("Non compilare questo campo"), required=False)

    def __init__(self, *args, asks_mode: bool = False, **kwargs):
        """`asks_mode`: the registration concerns a hybrid meeting, so the person chooses in presenza or online."""
        super().__init__(*args, **kwargs)
        if not asks_mode:
            del self.fields["attendance_mode"]

    def clean(self):
        cleaned = super().clean()
        # The hidden code is kept only when it is in the ISTAT list and names the Ente written next to it: a person
        # who picked "Comune di Bergamo" and then typed another name keeps the name, not a code that contradicts it.
        cleaned["organization_code"] = matching_code(
            cleaned.get("organization_code", ""), cleaned.get("organization", "")
        )
        return cleaned

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def service_data(self) -> dict:
        fields = (
            "first_name",
            "last_name",
            "email",
            "organization",
            "organization_code",
            "organization_type",
            "role",
            "newsletter_consent",
        )
        data = {name: self.cleaned_data[name] for name in fields}
        data["attendance_mode"] = self.cleaned_data.get("attendance_mode") or None
        return data
