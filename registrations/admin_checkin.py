"""The door of a meeting, in the back-office: the check-in page made for a phone (scan the QR code of the confirmed
email with the camera, or find a person by name), walk-ins registered on the spot, and registrations typed by the
secretariat on behalf of a person (phone or email requests).

Every write goes through a service: registrations/attendance.py (who is present, and the "not before the start"
rule) and services.registration_create_by_staff() (capacity, eligibility and the registration window, which staff may
set aside only with a reason kept on the registration). Mixed into the MeetingAdmin and RegistrationAdmin of
registrations/admin.py.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.admin_forms import MeetingChoiceField
from labs.models import Meeting

from . import services
from .attendance import attendance_too_early, check_attendance_allowed, meeting_attendees, registration_check_in
from .checkin import registration_pk_from_code
from .models import OrganizationType

# The session key that remembers, per meeting, that staff confirmed checking people in before the start.
EARLY_SESSION_KEY = "checkin_early_meetings"


class StaffRegistrationForm(forms.Form):
    """The person's data as the secretariat types it (on behalf, or a walk-in at the door)."""

    first_name = forms.CharField(label=gettext_lazy("Nome"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Cognome"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("Email"))
    organization = forms.CharField(label=gettext_lazy("Ente"), max_length=200)
    organization_type = forms.ChoiceField(label=gettext_lazy("Tipo di ente"), choices=OrganizationType.choices)
    role = forms.CharField(label=gettext_lazy("Ruolo"), max_length=120, required=False)
    override_reason = forms.CharField(
        label=gettext_lazy("Motivo della deroga"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Solo se l'incontro è al completo, riservato ad altri enti o con le iscrizioni chiuse: senza un motivo "
            "l'iscrizione è rifiutata. Il motivo resta nell'iscrizione e nella sua cronologia."
        ),
    )
    notify = forms.BooleanField(
        label=gettext_lazy("Invia alla persona l'email di conferma (con il codice QR)"), required=False, initial=True
    )

    def person_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("first_name", "last_name", "email", "organization", "organization_type", "role")
        }


class OnBehalfForm(StaffRegistrationForm):
    meeting = MeetingChoiceField(label=gettext_lazy("Incontro"), queryset=Meeting.objects.none())
    attendance_mode = forms.ChoiceField(
        label=gettext_lazy("Partecipazione"),
        choices=Meeting.Mode.choices,
        initial=Meeting.Mode.IN_PERSON,
        required=False,
        help_text=gettext_lazy("Conta solo per gli incontri in presenza e online; gli altri hanno una sola modalità."),
    )
    field_order = ["meeting", "attendance_mode"]

    def person_data(self) -> dict:
        return {**super().person_data(), "attendance_mode": self.cleaned_data["attendance_mode"]}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        # Meetings of today and later that still take place (past ones make no sense for a new registration).
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(cancelled=False, starts_at__gte=today).select_related("lab").order_by("starts_at")
        )


class WalkInForm(StaffRegistrationForm):
    """On the check-in page (Bootstrap Italia): the person is here, so no email unless asked."""

    notify = forms.BooleanField(
        label=gettext_lazy("Invia alla persona l'email di conferma (con il codice QR)"), required=False, initial=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = getattr(field.widget, "input_type", "")
            css = {"checkbox": "form-check-input", "select": "form-select"}.get(kind, "form-control")
            field.widget.attrs["class"] = css


def _early_confirmed(request, meeting: Meeting) -> bool:
    return meeting.pk in request.session.get(EARLY_SESSION_KEY, [])


class MeetingCheckInViews:
    """The check-in page of a meeting (MeetingAdmin): GET shows it, POSTs check people in or register a walk-in."""

    def has_walk_in_permission(self, request) -> bool:
        return request.user.has_perm("registrations.add_registration") and request.user.has_perm(
            "registrations.change_registration"
        )

    def checkin_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/ingresso/", view(self.checkin_view), name="labs_meeting_checkin"),
            path("<int:pk>/ingresso/nuova-persona/", view(self.walk_in_view), name="labs_meeting_walk_in"),
        ]

    def _checkin_meeting(self, request, pk: int) -> Meeting:
        meeting = get_object_or_404(Meeting.objects.select_related("lab", "venue"), pk=pk)
        if not self.has_attendance_permission(request):
            raise PermissionDenied
        return meeting

    def checkin_view(self, request, pk: int):
        meeting = self._checkin_meeting(request, pk)
        if request.method == "POST":
            return self._checkin_post(request, meeting)
        return self._checkin_page(request, meeting, WalkInForm(prefix="walkin"))

    def _back(self, request, meeting: Meeting, *, scan: bool = False, query: str = "") -> HttpResponseRedirect:
        params = {key: value for key, value in (("q", query), ("scan", "1" if scan else "")) if value}
        url = reverse("admin:labs_meeting_checkin", args=[meeting.pk])
        return HttpResponseRedirect(f"{url}?{urlencode(params)}" if params else url)

    def _checkin_post(self, request, meeting: Meeting):
        query = request.POST.get("q", "")[:100]
        if "confirm_early" in request.POST:
            early = set(request.session.get(EARLY_SESSION_KEY, []))
            request.session[EARLY_SESSION_KEY] = sorted(early | {meeting.pk})
            self.message_user(
                request, _("Confermato: puoi registrare le presenze prima dell'inizio dell'incontro."), messages.INFO
            )
            return self._back(request, meeting, query=query)
        scanned = "code" in request.POST
        if scanned:
            registration_id = registration_pk_from_code(request.POST["code"])
            if registration_id is None:
                self.message_user(request, _("Codice non valido: non è un codice QR di iscrizione."), messages.ERROR)
                return self._back(request, meeting, scan=True)
        else:
            value = request.POST.get("registration", "")
            registration_id = int(value) if value.isdigit() else None
        try:
            registration, already = registration_check_in(
                registration_id=registration_id or 0,
                meeting_id=meeting.pk,
                user=request.user,
                confirm_early=_early_confirmed(request, meeting),
            )
        except services.RegistrationRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return self._back(request, meeting, scan=scanned, query=query)
        if already:
            message = _("%(name)s (%(organization)s) era già stata segnata presente.")
        else:
            message = _("%(name)s (%(organization)s): presente.")
        self.message_user(
            request,
            message % {"name": registration.full_name, "organization": registration.organization},
            messages.WARNING if already else messages.SUCCESS,
        )
        return self._back(request, meeting, scan=scanned, query=query)

    def walk_in_view(self, request, pk: int):
        meeting = self._checkin_meeting(request, pk)
        if not self.has_walk_in_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:labs_meeting_checkin", args=[meeting.pk]))
        form = WalkInForm(request.POST, prefix="walkin")
        if form.is_valid():
            early = _early_confirmed(request, meeting)
            try:
                with transaction.atomic():
                    check_attendance_allowed(meeting, confirm_early=early)
                    registration = services.registration_create_by_staff(
                        meeting_id=meeting.pk,
                        data=form.person_data(),
                        user=request.user,
                        notify=form.cleaned_data["notify"],
                        override_reason=form.cleaned_data["override_reason"],
                    )
                    registration_check_in(
                        registration_id=registration.pk, meeting_id=meeting.pk, user=request.user, confirm_early=early
                    )
            except services.RegistrationRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                self.message_user(
                    request,
                    _("%(name)s (%(organization)s) iscritta e segnata presente.")
                    % {"name": registration.full_name, "organization": registration.organization},
                    messages.SUCCESS,
                )
                return self._back(request, meeting)
        return self._checkin_page(request, meeting, form, status=200)

    def _checkin_page(self, request, meeting: Meeting, walk_in_form: WalkInForm, status: int = 200):
        query = request.GET.get("q", "").strip()[:100]
        attendees = meeting_attendees(meeting.pk)
        total = attendees.count()
        present = attendees.filter(attended=True).count()
        shown = attendees
        if query:
            words = query.split()
            for word in words:
                shown = shown.filter(
                    Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(organization__icontains=word)
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ingresso: %(meeting)s") % {"meeting": meeting.title},
            "meeting": meeting,
            "opts": self.model._meta,
            "attendees": list(shown),
            "query": query,
            "total": total,
            "present": present,
            "too_early": attendance_too_early(meeting),
            "early_confirmed": _early_confirmed(request, meeting),
            "autostart": request.GET.get("scan") == "1",
            "walk_in_form": walk_in_form if self.has_walk_in_permission(request) else None,
            "walk_in_open": walk_in_form.is_bound,  # a walk-in refused: its form stays open with the errors
            "attendance_url": reverse("admin:labs_meeting_attendance", args=[meeting.pk]),
            "signin_sheet_url": reverse("pdf:signin_sheet", args=[meeting.pk]),
        }
        response = TemplateResponse(request, "admin/registrations/checkin.html", context, status=status)
        # The scanner needs the camera and compiles the QR decoder (WebAssembly, served from 'self').
        response.permissions_allow_camera = True
        response.csp_allow_wasm = True
        return response


class RegistrationOnBehalfViews:
    """ "Aggiungi iscrizione" (RegistrationAdmin): the secretariat registers a person who phoned or wrote.

    Not the admin's model form: the registration service decides (confirmed at once, `registered_by`, the rules and
    the logged override), and the email to the person is optional."""

    def has_add_permission(self, request) -> bool:
        return request.user.has_perm("registrations.add_registration")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {}
        if request.GET.get("meeting", "").isdigit():
            initial["meeting"] = int(request.GET["meeting"])
        form = OnBehalfForm(request.POST if request.method == "POST" else None, initial=initial)
        if form.is_bound and form.is_valid():
            try:
                registration = services.registration_create_by_staff(
                    meeting_id=form.cleaned_data["meeting"].pk,
                    data=form.person_data(),
                    user=request.user,
                    notify=form.cleaned_data["notify"],
                    override_reason=form.cleaned_data["override_reason"],
                )
            except services.RegistrationRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                self.log_addition(request, registration, [{"added": {}}])
                notified = _("Email di conferma in coda.") if form.cleaned_data["notify"] else _("Nessuna email.")
                self.message_user(
                    request,
                    _("%(name)s iscritta a «%(meeting)s» (confermata). %(notified)s")
                    % {"name": registration.full_name, "meeting": registration.meeting.title, "notified": notified},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:registrations_registration_change", args=[registration.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Iscrivi una persona"),
            "opts": self.model._meta,
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/registrations/registration/on_behalf.html", context)
