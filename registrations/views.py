"""Public registration pages. Thin: parse the form, call one service, tell the person exactly what happened."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.clientip import client_ip
from core.private_pages import private_page
from labs.models import Lab, Meeting

from . import ratelimit, selectors, services
from .certificates import certificates_of_registration
from .checkin import checkin_available, checkin_for
from .forms import RegistrationForm
from .ics import registration_has_calendar, registration_ics
from .models import Registration
from .outcomes import describe, outcome_from_results, recall, remember


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _limited(request: HttpRequest, form: RegistrationForm) -> str | None:
    """The rate-limit message, if this submission is over a limit (per IP always, per email when it is valid)."""
    if ratelimit.hit("register-ip", client_ip(request), settings.REGISTRATION_RATE_LIMIT_IP):
        return _("Sono arrivate troppe richieste di iscrizione dalla tua rete. Riprova tra un'ora.")
    email = form.data.get("email", "")
    if email and ratelimit.hit("register-email", email.strip(), settings.REGISTRATION_RATE_LIMIT_EMAIL):
        return _("Sono arrivate troppe richieste di iscrizione per questo indirizzo email. Riprova tra un'ora.")
    # Every submission may email the address (a new registration, or the same email again for an existing one): a
    # daily cap per address keeps the form from being used to flood somebody's inbox from many networks.
    if email and ratelimit.hit("register-email-day", email.strip(), settings.REGISTRATION_RATE_LIMIT_EMAIL_DAY):
        return _("Sono arrivate troppe richieste di iscrizione per questo indirizzo email. Riprova domani.")
    return None


def _form_context(form: RegistrationForm, **extra) -> dict:
    return {"form": form, **extra}


def _handle_post(request: HttpRequest, form: RegistrationForm, register, template: str, context: dict):
    """Shared POST flow of both forms: limits, honeypot, validation, service call, then redirect to the result."""
    message = _limited(request, form)
    status = 429 if message else 200
    if message is None and form.is_valid():
        if form.is_bot():
            message = _("Non è stato possibile inviare il modulo. Riprova.")
        else:
            try:
                outcome = register(form.service_data())
            except services.RegistrationRefused as refusal:
                message = refusal.message
                status = 503 if isinstance(refusal, services.RegistrationBusy) else 200
            else:
                return remember(redirect("registrations:result"), outcome)
    if message:
        form.add_error(None, message)
    return render(request, template, _form_context(form, **context), status=status)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.published().select_related("lab", "venue"), pk=pk)
    closed = None
    try:
        services.check_open(meeting, timezone.now())
    except services.RegistrationRefused as refusal:
        closed = refusal.message
    context = {
        "meeting": meeting,
        "closed": closed,
        # Called by the template only when it renders the form (a successful POST redirects without it).
        "seats_left": lambda: selectors.seats_left_by_meeting([meeting.pk]).get(meeting.pk),
        # A hybrid meeting: the seats of each mode (in presenza / online), called by the template like seats_left.
        "seats_by_mode": lambda: _seats_by_mode(meeting),
    }
    if request.method == "POST":
        form = RegistrationForm(request.POST, asks_mode=meeting.is_hybrid)

        def create(data):
            result = services.registration_create(meeting_id=meeting.pk, data=data, language=_language())
            return outcome_from_results([result], [])

        return _handle_post(request, form, create, "registrations/register.html", context)
    form = RegistrationForm(asks_mode=meeting.is_hybrid)
    return render(request, "registrations/register.html", _form_context(form, **context))


def _seats_by_mode(meeting: Meeting) -> list[tuple[str, int | None]]:
    """[(mode label, seats left or None)] of a hybrid meeting, in the order of its modes."""
    seats = selectors.seats_left_by_mode([meeting.pk]).get(meeting.pk, {})
    return [(Meeting.Mode(mode).label, left) for mode, left in seats.items()]


@require_http_methods(["GET", "POST"])
def register_lab(request: HttpRequest, slug: str) -> HttpResponse:
    lab = get_object_or_404(Lab.objects.published(), slug=slug)
    meetings = services.lab_meetings_to_register(lab.pk)
    for meeting in meetings:
        meeting.lab = lab  # registration_closed_reason() reads lab.published: no query per meeting
    preview = selectors.lab_registration_preview(meetings)
    context = {"lab": lab, "meetings": meetings, "preview": preview, "closed": None}
    if not any(row.state != "closed" for row in preview):
        context["closed"] = _("Questo laboratorio non ha incontri in programma a cui iscriversi.")
    asks_mode = any(meeting.is_hybrid for meeting in meetings)
    if request.method == "POST":
        form = RegistrationForm(request.POST, asks_mode=asks_mode)

        def create(data):
            outcome = services.registration_create_for_lab(lab_id=lab.pk, data=data, language=_language())
            if not outcome.results:
                # Every meeting refused: show the reasons on the form instead of an empty result page.
                raise services.RegistrationRefused(" ".join(dict.fromkeys(m for _mt, m in outcome.refused)), "none")
            return outcome_from_results(outcome.results, outcome.refused)

        return _handle_post(request, form, create, "registrations/register_lab.html", context)
    form = RegistrationForm(asks_mode=asks_mode)
    return render(request, "registrations/register_lab.html", _form_context(form, **context))


@never_cache
def result(request: HttpRequest) -> HttpResponse:
    outcome = recall(request)
    if not outcome:
        return redirect("home")
    items = describe(outcome)
    context = {"items": items, "refused": outcome.get("refused", [])}
    if len(items) > 1:  # "Iscriviti a tutto il laboratorio" (a single meeting's form gives one item)
        context["groups"] = _result_groups(items)
    return render(request, "registrations/result.html", context)


def _group_title(status: str, count: int) -> str:
    if status == Registration.Status.CONFIRMED:
        return ngettext(
            "Iscrizione confermata a %(count)d incontro", "Iscrizione confermata a %(count)d incontri", count
        ) % {"count": count}
    if status == Registration.Status.PENDING:
        return ngettext("Da confermare: %(count)d incontro", "Da confermare: %(count)d incontri", count) % {
            "count": count
        }
    return ngettext("In lista d'attesa: %(count)d incontro", "In lista d'attesa: %(count)d incontri", count) % {
        "count": count
    }


def _result_groups(items: list[dict]) -> list[dict]:
    """The whole-lab result said once per outcome: each meeting listed once, under the one message its outcome
    shares with the others (five confirmed meetings are one box, not the same paragraph five times)."""
    groups: dict[tuple[str, str], dict] = {}
    seen: set[int] = set()
    for item in items:
        meeting = item["meeting"]
        if meeting is None or meeting.pk in seen:
            continue
        seen.add(meeting.pk)
        group = groups.setdefault(
            (item["status"], item["message"]), {"status": item["status"], "message": item["message"], "meetings": []}
        )
        group["meetings"].append(meeting)
    for group in groups.values():
        group["title"] = _group_title(group["status"], len(group["meetings"]))
    return list(groups.values())


def _registration(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("meeting", "meeting__lab", "meeting__venue"), token=token
    )


def manage(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    context = {
        "registration": registration,
        "meeting": registration.meeting,
        "can_cancel": registration.status in services.ACTIVE and not registration.meeting.has_started,
        # The online link goes only to people who attend online (a hybrid meeting's room gets the address instead).
        "show_link": registration.status == Registration.Status.CONFIRMED and registration.attends_online,
        "switch_to": _switch_target(registration),
        "offers_calendar": registration_has_calendar(registration),
        "certificates": certificates_of_registration(registration),
        "position": (
            services.notifications.waitlist_position(registration)
            if registration.status == Registration.Status.WAITLISTED
            else None
        ),
        # The QR code shown at the door (registrations/checkin.py): confirmed places of meetings still to come.
        "checkin": checkin_for(registration),
    }
    return private_page(render(request, "registrations/manage.html", context))


def _switch_target(registration: Registration) -> str | None:
    """The other attendance mode the person may switch to from the manage page, or None (not a hybrid meeting, not
    active, meeting cancelled or started)."""
    meeting = registration.meeting
    if not meeting.is_hybrid or registration.status not in services.ACTIVE or meeting.cancelled:
        return None
    if meeting.starts_at is None or meeting.has_started:
        return None
    return next(mode for mode in meeting.attendance_modes if mode != registration.attendance_mode)


@require_http_methods(["POST"])
def switch_mode(request: HttpRequest, token: str) -> HttpResponse:
    """Self-service: "passa a online" / "passa in presenza" on the manage page (services.registration_switch_mode)."""
    registration = _registration(token)
    mode = request.POST.get("attendance_mode", "")
    if mode not in Meeting.Mode.values:
        return redirect("registrations:manage", token=token)
    try:
        services.registration_switch_mode(registration_id=registration.pk, mode=mode)
    except services.RegistrationRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if mode == Meeting.Mode.ONLINE:
            done = _("Ora partecipi online: ti abbiamo inviato un'email con i dettagli.")
        else:
            done = _("Ora partecipi in presenza: ti abbiamo inviato un'email con l'indirizzo e le indicazioni.")
        messages.success(request, done)
    return redirect("registrations:manage", token=token)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners and link previews fetch GET links, and must not confirm
    an address on the person's behalf (that is the whole point of double opt-in). GET already says what the click
    would do when it cannot simply confirm (an expired hold, a cancelled registration, a past meeting)."""
    registration = _registration(token)
    if request.method == "POST":
        try:
            services.registration_confirm(registration_id=registration.pk)
        except services.RegistrationRefused as refusal:
            return private_page(
                render(request, "registrations/confirm.html", _confirm_context(registration, refusal), status=409)
            )
        confirmed = [
            member
            for member in services.confirmation_group(registration)
            if member.status == Registration.Status.CONFIRMED
        ]
        if len(confirmed) > 1:
            messages.success(
                request,
                ngettext(
                    "Iscrizione confermata a %(count)d incontro: ti abbiamo inviato un'email per ciascuno.",
                    "Iscrizioni confermate a %(count)d incontri: ti abbiamo inviato un'email per ciascuno.",
                    len(confirmed),
                )
                % {"count": len(confirmed)},
            )
        else:
            messages.success(request, _("Iscrizione confermata: ti abbiamo inviato un'email con tutti i dettagli."))
        return redirect("registrations:manage", token=token)
    if registration.status == Registration.Status.CONFIRMED:
        return redirect("registrations:manage", token=token)
    now = timezone.now()
    refusal = services.confirm_refusal(registration, now)
    context = _confirm_context(registration, refusal, late=refusal is None and services.hold_overdue(registration, now))
    return private_page(render(request, "registrations/confirm.html", context))


def _confirm_context(
    registration: Registration, refusal: services.RegistrationRefused | None, late: bool = False
) -> dict:
    # One link confirms every registration of the same submission (a whole-lab registration): the page says which.
    others = [
        member
        for member in services.confirmation_group(registration)
        if member.pk != registration.pk and member.status == Registration.Status.PENDING
    ]
    return {
        "registration": registration,
        "also_confirmed": others,
        "meeting": registration.meeting,
        "error": refusal.message if refusal else None,
        # A hold that ran out: the person may register again while the meeting takes registrations.
        "register_again": refusal is not None and refusal.code == "expired" and registration.meeting.registration_open,
        # Late, but nobody is waiting for the seat: confirming still works.
        "late": late,
    }


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    if registration.status not in services.ACTIVE:
        messages.info(request, _("Questa iscrizione non è attiva: non c'è niente da annullare."))
        return redirect("registrations:manage", token=token)
    if registration.meeting.has_started:
        messages.info(request, _("Questo incontro si è già svolto: l'iscrizione non si può più annullare."))
        return redirect("registrations:manage", token=token)
    if request.method == "POST":
        try:
            services.registration_cancel(registration_id=registration.pk)
        except services.RegistrationRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("La tua iscrizione è stata annullata. Grazie per averci avvisato."))
        return redirect("registrations:manage", token=token)
    context = {"registration": registration, "meeting": registration.meeting}
    return private_page(render(request, "registrations/cancel.html", context))


def ics(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    content = registration_ics(registration)
    if content is None:  # a meeting without a date, or a registration without a seat: no file, not an empty one
        raise Http404
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="incontro.ics"'
    return private_page(response)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    registrations, unverified = selectors.registrations_of_user(request.user)
    mine = selectors.my_registrations(registrations)
    for row in mine.upcoming:
        # "Le mie iscrizioni" links the QR code for the door (shown on the registration's page, checkin.py).
        row.registration.checkin_available = checkin_available(row.registration)
    context = {"upcoming": mine.upcoming, "past": mine.past, "unverified": unverified}
    return render(request, "registrations/mine.html", context)
