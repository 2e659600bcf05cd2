"""Forms of the registrations back-office: the meeting form's registrants side, and the actions' pages (message,
move, cancel meetings, per-person GDPR pages, superuser deletion)."""

from __future__ import annotations

import secrets

from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin_actions import ActionForm
from labs.admin_forms import MeetingAdminForm, MeetingChoiceField
from labs.models import MATERIAL_EXTENSIONS, Meeting, validate_material_file

from . import services
from .models import Registration, StaffMessage

# How many names the "who would not be told" help text lists before "and N more".
NAMES_SHOWN = 20


def registrants_sentence(registrations: list[Registration]) -> str:
    """ "Anna Verdi (confermata), Bruno Bianchi (lista d'attesa)" and "… e altri N", escaped: the admin renders help
    texts as HTML, and names come from the public form."""
    names = [f"{r.first_name} {r.last_name} ({r.get_status_display()})" for r in registrations[:NAMES_SHOWN]]
    text = ", ".join(names)
    if len(registrations) > NAMES_SHOWN:
        text += " " + _("e altri %(count)d") % {"count": len(registrations) - NAMES_SHOWN}
    return text


class MeetingChangeForm(MeetingAdminForm):
    """The meeting form of the admin (its own page and the lab inline): what the registrants are told, what happens
    to them when the meeting is cancelled, and the rules the registration services hold (seats, dates).

    The choices default to the safe side: registrants are told, a cancelled meeting cancels its registrations."""

    notify_registrants = forms.BooleanField(
        label=gettext_lazy("Avvisa gli iscritti della modifica"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Se cambi data, orario, sede, modalità o link, oppure annulli l'incontro, ogni iscritto (confermato, in "
            "attesa di conferma o in lista d'attesa) riceve un'email."
        ),
    )
    cancel_registrations = forms.BooleanField(
        label=gettext_lazy("Se annulli l'incontro, annulla anche le iscrizioni"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Le iscrizioni annullate liberano i posti. Togli la spunta per tenerle (per esempio se l'incontro "
            "sarà riprogrammato)."
        ),
    )

    # Whether the help text names the registrants (staff who may view registrations) or only counts them (the
    # editorial staff edit meetings but do not see who registered). MeetingChangeForm.for_user() picks the class.
    show_names = True

    @classmethod
    def for_user(cls, user) -> type[MeetingChangeForm]:
        if user.has_perm("registrations.view_registration"):
            return cls
        return type(cls.__name__, (cls,), {"show_names": False})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        active = list(
            Registration.objects.filter(meeting_id=self.instance.pk)
            .active()
            .order_by("last_name", "first_name", "pk")
            .only("first_name", "last_name", "status")
        )
        field = self.fields["notify_registrants"]
        if active and self.show_names:
            warning = ngettext(
                "Se togli la spunta, non sarà avvisato %(count)d iscritto: %(names)s.",
                "Se togli la spunta, non saranno avvisati %(count)d iscritti: %(names)s.",
                len(active),
            ) % {"count": len(active), "names": registrants_sentence(active)}
        elif active:
            warning = ngettext(
                "Se togli la spunta, non sarà avvisato %(count)d iscritto.",
                "Se togli la spunta, non saranno avvisati %(count)d iscritti.",
                len(active),
            ) % {"count": len(active)}
        else:
            warning = _("Questo incontro non ha iscritti da avvisare.")
        # Escaped here because the admin templates print help texts as HTML.
        field.help_text = escape(f"{field.help_text} {warning}")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned
        cancelling = bool(cleaned.get("cancelled")) and bool(cleaned.get("cancel_registrations"))
        try:
            problems = services.meeting_update_problems(
                meeting_id=self.instance.pk,
                capacity=cleaned.get("capacity") if "capacity" in self.changed_data else None,
                online_capacity=(
                    cleaned.get("online_capacity") if "online_capacity" in self.changed_data else services.UNCHANGED
                ),
                format=cleaned.get("format") if "format" in self.changed_data else None,
                starts_at=cleaned.get("starts_at") if "starts_at" in self.changed_data else None,
                cancel_registrations=cancelling,
            )
        except services.RegistrationBusy as busy:
            raise forms.ValidationError(busy.message) from busy
        for name, message in problems.items():
            if name in self.fields:
                self.add_error(name, message)
        return cleaned


class StaffMessageForm(ActionForm):
    """A message to a group of the selected meetings' registrants, with an optional attachment.

    The file is stored when the form is first valid (the preview step) and travels to the "Invia" step as a signed
    name in a hidden field: the person does not upload it twice, and nobody can make the portal attach another file
    of the media storage by editing the form."""

    audience = forms.ChoiceField(
        label=gettext_lazy("Destinatari"),
        choices=StaffMessage.Audience.choices,
        initial=StaffMessage.Audience.CONFIRMED,
    )
    subject = forms.CharField(label=gettext_lazy("Oggetto"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Testo"), widget=forms.Textarea(attrs={"rows": 10}), max_length=10_000)
    attachment = forms.FileField(
        label=gettext_lazy("Allegato"),
        required=False,
        validators=[
            FileExtensionValidator(
                list(MATERIAL_EXTENSIONS),
                message=gettext_lazy("Formato «%(extension)s» non ammesso: carica un file %(allowed_extensions)s."),
            ),
            validate_material_file,
        ],
        help_text=gettext_lazy("Facoltativo: PDF o documento Office/OpenDocument, al massimo 20 MB."),
    )
    attachment_ref = forms.CharField(required=False, widget=forms.HiddenInput)

    SIGNER_SALT = "registrations.staff-message-attachment"

    def clean(self) -> dict:
        cleaned = super().clean()
        ref = cleaned.get("attachment_ref") or ""
        cleaned["attachment_ref"] = ""
        if ref:
            try:
                cleaned["attachment_ref"] = signing.Signer(salt=self.SIGNER_SALT).unsign(ref)
            except signing.BadSignature:
                # A hidden field: its error is shown with the form's own errors.
                self.add_error(None, _("L'allegato non è più disponibile: caricalo di nuovo."))
        return cleaned

    def stored_attachment(self) -> str:
        """The storage name of the attachment (saved now if it was just uploaded), or ""; also sets the hidden
        field so that the next step of the form carries it."""
        upload = self.cleaned_data.get("attachment")
        name = self.cleaned_data.get("attachment_ref", "")
        if upload:
            folder = f"messaggi/{timezone.now():%Y}/{secrets.token_hex(8)}"
            name = default_storage.save(f"{folder}/{get_valid_filename(upload.name)}", upload)
        self.data = self.data.copy()
        self.data["attachment_ref"] = signing.Signer(salt=self.SIGNER_SALT).sign(name) if name else ""
        return name


class CancelMeetingsForm(ActionForm):
    notify_registrants = forms.BooleanField(
        label=gettext_lazy("Avvisa gli iscritti"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Ogni iscritto riceve l'email «incontro annullato»."),
    )
    cancel_registrations = forms.BooleanField(
        label=gettext_lazy("Annulla anche le iscrizioni"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Togli la spunta per tenere le iscrizioni (per esempio se l'incontro sarà riprogrammato)."
        ),
    )


class MoveRegistrationsForm(ActionForm):
    meeting = MeetingChoiceField(label=gettext_lazy("Sposta all'incontro"), queryset=Meeting.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only meetings one can still move people to: not cancelled, not started. Set per form, so "now" is now.
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(cancelled=False, starts_at__gt=timezone.now())
            .select_related("lab")
            .order_by("starts_at", "pk")
        )


class PersonForm(ActionForm):
    pass


class DeleteRegistrationsForm(ActionForm):
    pass
