"""Forms of the labs back-office: the meeting change form and the "new edition" action."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_actions import ActionForm

from .models import Meeting


def meeting_choice_label(meeting: Meeting) -> str:
    """How the admin names a meeting in its choices (filters, the "Sposta" list, selects): date first, then the lab
    and the meeting, both shortened, so that 27 meetings of similar title can be told apart at a glance. The meeting
    must come with its lab (select_related("lab"))."""
    when = (
        date_format(timezone.localtime(meeting.starts_at), "d/m/Y H:i") if meeting.starts_at else gettext("senza data")
    )
    lab = Truncator(meeting.lab.title).chars(40)
    return f"{when} · {lab} · {Truncator(meeting.title).chars(40)}"


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return meeting_choice_label(obj)


class DuplicateEditionForm(ActionForm):
    days = forms.IntegerField(
        label=_("Sposta le date di (giorni)"),
        min_value=-3650,
        max_value=3650,
        initial=364,
        help_text=_("364 giorni = 52 settimane: gli incontri restano nello stesso giorno della settimana."),
    )


class MeetingAdminForm(forms.ModelForm):
    """The meeting's own fields. registrations/admin_forms.py extends it with the registrants' side (who is told of a
    change, what happens to the registrations of a cancelled meeting, seats already held)."""

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
            "online_capacity",
            "registration_opens_at",
            "registration_closes_at",
            "audience",
            "requires_confirmation",
            "is_sample",
            "cancelled",
        ]
