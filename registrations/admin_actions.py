"""Registrations admin, back-office part: filters (incl. province), staff actions through the registrations services,
and the per-person GDPR export and erasure.

registrations/admin.py mixes ``RegistrationBackofficeMixin`` into its ModelAdmin (the service rules stay there).
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin_actions import form_action
from labs.admin_forms import meeting_choice_label
from labs.models import Meeting
from registrations.models import Registration

from . import services
from .admin_forms import DeleteRegistrationsForm, MoveRegistrationsForm, PersonForm
from .gdpr import person_erase, person_export
from .municipalities import PROVINCES, UNKNOWN, province_of


class ProvinceFilter(admin.SimpleListFilter):
    """Province derived from the Ente's name (see provinces.py): two queries, whatever the number of rows."""

    title = gettext_lazy("provincia")
    parameter_name = "provincia"

    def lookups(self, request, model_admin):
        return [*PROVINCES.items(), ("-", _("Non determinata"))]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        wanted = UNKNOWN if value == "-" else value
        organizations = set(queryset.values_list("organization", flat=True).distinct())
        return queryset.filter(organization__in=[o for o in organizations if province_of(o) == wanted])


def _run_each(modeladmin, request, queryset, label: str, call) -> None:
    """Apply a service call to each selected registration; refusals are reported per person, never a 500."""
    done, problems = 0, []
    for registration in queryset.order_by("pk"):
        try:
            call(registration)
        except (services.RegistrationRefused, services.RegistrationBusy) as exc:
            problems.append(f"{registration.full_name}: {exc}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{label}: {done}.", messages.SUCCESS)
    for problem in problems:
        modeladmin.message_user(request, problem, messages.WARNING)


class MeetingListFilter(admin.RelatedFieldListFilter):
    """The meeting filter names each meeting with its date and lab (labs.admin_forms.meeting_choice_label), most recent
    first; the labs come in the same query (not one per meeting)."""

    def field_choices(self, field, request, model_admin):
        meetings = Meeting.objects.select_related("lab").order_by(F("starts_at").desc(nulls_last=True), "pk")
        return [(meeting.pk, meeting_choice_label(meeting)) for meeting in meetings]


class RegistrationBackofficeMixin:
    list_filter = [
        "status",
        "meeting__lab",
        ("meeting", MeetingListFilter),
        "attendance_mode",
        "organization_type",
        ProvinceFilter,
        "attended",
    ]
    search_fields = ["first_name", "last_name", "email", "organization"]
    # Cancelling (with the waiting list) is what staff do; deleting is a separate superuser action, listed last,
    # far from "Annulla", and Django's own "delete selected" is removed (get_actions).
    actions = [
        "confirm_selected",
        "cancel_selected",
        "promote_selected",
        "move_selected",
        "switch_to_in_person",
        "switch_to_online",
        "gdpr_export",
        "gdpr_erase",
        "delete_permanently",
    ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_superuser_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.action(description=gettext_lazy("Conferma le iscrizioni selezionate"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            _("Iscrizioni confermate"),
            lambda r: services.registration_confirm(registration_id=r.pk),
        )

    @admin.action(
        description=gettext_lazy("Annulla le iscrizioni selezionate (promuove la lista d'attesa)"),
        permissions=["change"],
    )
    def cancel_selected(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            _("Iscrizioni annullate"),
            lambda r: services.registration_cancel(registration_id=r.pk, by_staff=True),
        )

    @admin.action(
        description=gettext_lazy("Dai il posto libero a chi è in lista d'attesa (selezionati)"),
        permissions=["change"],
    )
    def promote_selected(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            _("Iscrizioni passate dalla lista d'attesa agli iscritti"),
            lambda r: services.registration_promote(registration_id=r.pk),
        )

    @admin.action(description=gettext_lazy("Sposta a un altro incontro"), permissions=["change"])
    def move_selected(self, request, queryset):

        def apply(data) -> None:
            target = data["meeting"]
            _run_each(
                self,
                request,
                queryset,
                _("Iscrizioni spostate a «%(meeting)s»") % {"meeting": target},
                lambda r: services.registration_move(registration_id=r.pk, meeting_id=target.pk),
            )

        return form_action(
            self,
            request,
            queryset,
            MoveRegistrationsForm,
            apply=apply,
            title=_("Sposta a un altro incontro"),
            submit_label=_("Sposta"),
            intro=_(
                "Chi ha un posto lo mantiene se nell'incontro di destinazione ce n'è uno libero, altrimenti passa "
                "in lista d'attesa; ogni persona riceve un'email."
            ),
        )

    @admin.action(description=gettext_lazy("Incontri ibridi: passa a «in presenza»"), permissions=["change"])
    def switch_to_in_person(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            _("Iscrizioni passate a «in presenza»"),
            lambda r: services.registration_switch_mode(
                registration_id=r.pk, mode=Meeting.Mode.IN_PERSON, by_staff=True
            ),
        )

    @admin.action(description=gettext_lazy("Incontri ibridi: passa a «online»"), permissions=["change"])
    def switch_to_online(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            _("Iscrizioni passate a «online»"),
            lambda r: services.registration_switch_mode(registration_id=r.pk, mode=Meeting.Mode.ONLINE, by_staff=True),
        )

    @staticmethod
    def _one_person(modeladmin, request, queryset) -> str | None:
        emails = {email.lower() for email in queryset.values_list("email", flat=True)}
        if len(emails) != 1:
            modeladmin.message_user(
                request, _("Seleziona le iscrizioni di una sola persona (un solo indirizzo email)."), messages.WARNING
            )
            return None
        return emails.pop()

    @admin.action(description=gettext_lazy("GDPR: esporta i dati della persona (JSON)"), permissions=["view"])
    def gdpr_export(self, request, queryset):
        email = self._one_person(self, request, queryset)
        if email is None:
            return None
        data = person_export(email=email)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        filename = f"dati-{slugify(email.replace('@', '-at-'))}-{timezone.localdate():%Y%m%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=gettext_lazy("GDPR: cancella i dati della persona (anonimizza)"), permissions=["delete"])
    def gdpr_erase(self, request, queryset):
        email = self._one_person(self, request, queryset)
        if email is None:
            return None
        everything = Registration.objects.filter(email__iexact=email).select_related("meeting", "meeting__lab")

        def apply(data) -> None:
            count = person_erase(email=email)
            self.message_user(
                request,
                ngettext(
                    "%(count)d iscrizione anonimizzata; cronologia ed email inviate cancellate.",
                    "%(count)d iscrizioni anonimizzate; cronologia ed email inviate cancellate.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )

        return form_action(
            self,
            request,
            queryset,
            PersonForm,
            apply=apply,
            shown=everything,
            title=_("GDPR: cancella i dati di %(email)s") % {"email": email},
            submit_label=_("Sì, anonimizza"),
            intro=_(
                "Tutte le iscrizioni di questo indirizzo vengono anonimizzate: nome, cognome, email e ruolo sono "
                "sostituiti, la cronologia delle modifiche e le email inviate sono cancellate. Restano ente, tipo di "
                "ente e presenze, per i conteggi. L'operazione non si può annullare."
            ),
        )

    @admin.action(
        description=gettext_lazy("Elimina definitivamente (solo amministratori) le iscrizioni selezionate"),
        permissions=["superuser"],
    )
    def delete_permanently(self, request, queryset):

        def apply(data) -> None:
            count = services.registrations_delete(registration_ids=list(queryset.values_list("pk", flat=True)))
            self.message_user(
                request,
                ngettext("%(count)d iscrizione eliminata.", "%(count)d iscrizioni eliminate.", count)
                % {"count": count},
                messages.SUCCESS,
            )

        return form_action(
            self,
            request,
            queryset,
            DeleteRegistrationsForm,
            apply=apply,
            shown=queryset.select_related("meeting", "meeting__lab"),
            title=_("Elimina definitivamente le iscrizioni selezionate"),
            submit_label=_("Sì, elimina definitivamente"),
            intro=_(
                "Le iscrizioni vengono cancellate dal database, senza avvisare nessuno: usa questa azione solo per "
                "dati di prova o doppioni. Per togliere il posto a una persona usa «Annulla le iscrizioni "
                "selezionate», che la avvisa e fa avanzare la lista d'attesa. I posti liberati passano comunque "
                "alla lista d'attesa. L'operazione non si può annullare."
            ),
        )
