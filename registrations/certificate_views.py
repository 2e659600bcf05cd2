"""The public verification of attendance certificates: anybody holding a certificate (an employer, an office that
recognises training hours) types its code, or scans its QR code, and sees who attended what and for how many hours.

Only what the certificate itself prints is shown (name, lab or meeting, hours, date of issue); never the email. The
pages are rate limited per client (a code is unguessable only if nobody can try millions), kept out of search
indexes and caches, and the lookup form has the same honeypot as the registration form.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.clientip import client_ip
from core.private_pages import private_page

from . import ratelimit
from .certificates import format_hours, normalize_code
from .models import CERTIFICATE_CODE_LENGTH, Certificate


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Codice di verifica"),
        max_length=20,
        help_text=gettext_lazy("Il codice stampato sull'attestato, ad esempio ABCDE-FGHJK."),
    )
    # Honeypot: hidden from people and assistive technology; bots that fill every field fill this one too.
    website = forms.CharField(label=gettext_lazy("Non compilare questo campo"), required=False)

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != CERTIFICATE_CODE_LENGTH:
            raise forms.ValidationError(_("Il codice è di 10 caratteri, lettere e cifre."))
        return code


def _limited(request: HttpRequest) -> HttpResponse | None:
    rate = settings.CERTIFICATE_VERIFY_RATE_LIMIT
    if not ratelimit.hit("certificate-verify", client_ip(request), rate):
        return None
    error = _("Sono arrivate troppe richieste di verifica dalla tua rete. Riprova tra un'ora.")
    response = render(request, "certificates/verify.html", {"form": VerifyForm(), "error": error}, status=429)
    response["Retry-After"] = str(ratelimit.parse(rate)[1])
    return private_page(response)


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """The form (GET: nothing changes, so no CSRF token); a well-formed code goes to its page."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound:
        if form.is_valid() and not request.GET.get("website"):
            return redirect("registrations:certificate_detail", code=form.cleaned_data["code"])
        if form.is_valid():  # the honeypot was filled
            form.add_error(None, _("Non è stato possibile inviare il modulo. Riprova."))
    return private_page(render(request, "certificates/verify.html", {"form": form}))


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    refused = _limited(request)
    if refused is not None:
        return refused
    normalized = normalize_code(code)
    if normalized != code:  # "abcde-fghjk" typed by hand in the address bar
        return redirect("registrations:certificate_detail", code=normalized)
    certificate = (
        Certificate.objects.select_related("lab", "meeting")
        .only(
            "code",
            "kind",
            "first_name",
            "last_name",
            "hours_attended",
            "hours_offered",
            "meetings_attended",
            "meetings_offered",
            "issued_at",
            "lab__title",
            "lab__title_en",
            "lab__organizer",
            "meeting__title",
            "meeting__title_en",
            "meeting__starts_at",
            "meeting__ends_at",
        )
        .filter(code=normalized)
        .first()
    )
    if certificate is None:
        form = VerifyForm(initial={"code": code})
        context = {"form": form, "not_found": code}
        return private_page(render(request, "certificates/verify.html", context, status=404))
    context = {
        "certificate": certificate,
        "hours_attended": format_hours(certificate.hours_attended),
        "hours_offered": format_hours(certificate.hours_offered),
    }
    return private_page(render(request, "certificates/detail.html", context))
