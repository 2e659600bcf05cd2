"""PDF downloads: the public lab programme and catalogue, the staff sign-in sheet and attendance certificate."""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.clientip import client_ip
from core.private_pages import private_page
from core.visibility import visible_object_or_404
from documents.models import PdfExport
from labs.models import Lab, Meeting
from registrations import ratelimit
from registrations.models import Certificate, Registration

from . import catalogue, documents, exports
from .cache import cached_pdf
from .cache import get as cache_get_pdf

# How often the "in preparazione" page reloads itself (a meta refresh: no script, nothing for the CSP to allow).
REFRESH_SECONDS = 5
# Downloads of one participant's certificate (per registration token).
PARTICIPANT_CERTIFICATE_RATE = "20/h"


def pdf_response(pdf: bytes, filename: str, *, private: bool = False) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Staff documents hold personal data: never in a shared cache. Public ones may be kept by the browser briefly.
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


def client_address(request) -> str:
    """The client a rate limit counts: the trusted-proxy client address (core/clientip.py), as every limiter."""
    return client_ip(request)


def _too_many_renders(request) -> HttpResponse | None:
    """The 429 page when this client has asked for more new PDF renders than PDF_RENDER_RATE_LIMIT allows (a cached
    document costs nothing and is not counted)."""
    rate = settings.PDF_RENDER_RATE_LIMIT
    if not ratelimit.hit("pdf-render", client_address(request), rate):
        return None
    message = _("Hai chiesto molti documenti PDF diversi in poco tempo. Riprova più tardi.")
    response = render(
        request, "pdf/message.html", {"title": _("Troppe richieste di PDF"), "message": message}, status=429
    )
    response["Retry-After"] = str(ratelimit.parse(rate)[1])
    return response


def _wait_page(request, context: dict) -> HttpResponse:
    response = render(request, "pdf/preparing.html", context, status=202)
    response["Retry-After"] = str(REFRESH_SECONDS)
    return response


def _bounded_pdf(request, key: str, build, wait_context: dict) -> bytes | HttpResponse:
    """The public PDF ``key``: from the cache, or rendered now within the per-client rate limit and the concurrent
    render cap (issue 14: four parallel anonymous renders made every page of the site take seconds)."""
    pdf = cache_get_pdf(key)
    if pdf is not None:
        return pdf
    refused = _too_many_renders(request)
    if refused is not None:
        return refused
    with exports.render_slot() as granted:
        if not granted:
            return _wait_page(request, wait_context)
        return cached_pdf(key, build)


@require_GET
def lab_programme(request, slug: str):
    lab = visible_object_or_404(request, Lab.objects.all(), slug=slug)
    if lab.is_draft:
        # A staff preview: rendered each time with its "Bozza" mark, never in the PDF cache nor a shared cache.
        pdf = documents.lab_programme_render(lab, draft=True)
        return pdf_response(pdf, f"programma-{lab.slug}-bozza.pdf", private=True)
    pdf = _bounded_pdf(
        request,
        documents.lab_programme_key(lab),
        lambda: documents.lab_programme_render(lab),
        {"export": None, "count": None, "refresh": REFRESH_SECONDS},
    )
    if isinstance(pdf, HttpResponse):
        return pdf
    return pdf_response(pdf, f"programma-{lab.slug}.pdf")


@require_GET
@staff_member_required
@permission_required("registrations.view_registration", raise_exception=True)
def signin_sheet(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("lab", "venue"), pk=pk)
    return pdf_response(documents.signin_sheet_pdf(meeting), f"foglio-firme-incontro-{meeting.pk}.pdf", private=True)


def _certificate_response(request, registration: Registration, kind: str, *, refusal: str):
    """Issue (or bring up to date) and render the person's certificate of ``kind``; the 409 page with ``refusal``
    when the person was not marked present."""
    try:
        certificate, pdf = documents.registration_certificate_pdf(registration, kind)
    except documents.NoAttendance:
        return render(
            request, "pdf/message.html", {"title": _("Attestato non disponibile"), "message": refusal}, status=409
        )
    scope = certificate.meeting_id if kind == Certificate.Kind.MEETING else certificate.lab.slug
    filename = f"attestato-{slugify(certificate.full_name)}-{scope}.pdf"
    return pdf_response(pdf, filename, private=True)


@require_GET
@staff_member_required
@permission_required("registrations.view_registration", raise_exception=True)
def certificate(request, pk: int):
    """The person's certificate for the whole lab (every meeting attended, hours attended over hours offered)."""
    registration = get_object_or_404(Registration.objects.select_related("meeting__lab"), pk=pk)
    message = _("%(name)s non risulta presente a nessun incontro del laboratorio: segna prima la presenza.") % {
        "name": registration.full_name
    }
    return _certificate_response(request, registration, Certificate.Kind.LAB, refusal=message)


@require_GET
@staff_member_required
@permission_required("registrations.view_registration", raise_exception=True)
def meeting_certificate(request, pk: int):
    """The person's certificate for the registration's meeting alone."""
    registration = get_object_or_404(Registration.objects.select_related("meeting__lab"), pk=pk)
    message = _("%(name)s non risulta presente a questo incontro: segna prima la presenza.") % {
        "name": registration.full_name
    }
    return _certificate_response(request, registration, Certificate.Kind.MEETING, refusal=message)


def _participant_certificate(request, token: str, kind: str):
    """The participant's own certificate, opened with the registration's token (manage page, "Le mie iscrizioni",
    the certificate email). Same headers as the token pages: no cache, no index, no Referer."""
    registration = get_object_or_404(Registration.objects.select_related("meeting__lab"), token=token)
    # Per token, not per network: a town hall's colleagues share one address. A leaked link cannot keep the PDF
    # renderer busy.
    if ratelimit.hit("certificate-pdf", token, PARTICIPANT_CERTIFICATE_RATE):
        message = _("Hai scaricato l'attestato molte volte in poco tempo. Riprova più tardi.")
        response = render(
            request, "pdf/message.html", {"title": _("Troppe richieste di PDF"), "message": message}, status=429
        )
        response["Retry-After"] = str(ratelimit.parse(PARTICIPANT_CERTIFICATE_RATE)[1])
        return private_page(response)
    if kind == Certificate.Kind.MEETING:
        message = _("Non risulti presente a questo incontro: l'attestato non è disponibile.")
    else:
        message = _("Non risulti presente a nessun incontro svolto del laboratorio: l'attestato non è disponibile.")
    return private_page(_certificate_response(request, registration, kind, refusal=message))


@require_GET
def participant_meeting_certificate(request, token: str):
    return _participant_certificate(request, token, Certificate.Kind.MEETING)


@require_GET
def participant_lab_certificate(request, token: str):
    return _participant_certificate(request, token, Certificate.Kind.LAB)


@require_GET
def catalogue_pdf(request):
    """The printed catalogue of the filtered list. Up to CATALOGUE_SYNC_LIMIT projects it is rendered (or read from the
    cache) now; a larger one is built in the background while this URL answers a page that reloads itself until the
    file is ready, so the visitor keeps the same link and simply waits."""
    params = catalogue.clean_params(request.GET)
    try:
        ids, latest, filters = documents.catalogue_selection(params)
    except documents.InvalidFilters as exc:
        return render(
            request, "pdf/message.html", {"title": _("Filtri non validi"), "messages_list": exc.messages}, status=400
        )
    # Keyed by what the document shows (the projects, their latest change, the language, the filters printed on the
    # cover: never a raw number or text from the query string), so varying the query cannot multiply renders.
    key = documents.catalogue_key(ids, latest, filters)
    if len(ids) <= documents.CATALOGUE_SYNC_LIMIT:
        pdf = _bounded_pdf(
            request,
            key,
            lambda: documents.render_catalogue(ids, filters),
            {"export": None, "count": len(ids), "refresh": REFRESH_SECONDS},
        )
        if isinstance(pdf, HttpResponse):
            return pdf
        return pdf_response(pdf, "catalogo-progetti-anci-lombardia.pdf")
    if exports.catalogue_export_existing(key=key, take_over=False) is None:
        refused = _too_many_renders(request)  # a new background build is a render too
        if refused is not None:
            return refused
    export = exports.catalogue_export_request(params=params, language=get_language() or "it", user=request.user)
    # Without a broker (development) the task may have just run in this process, after the commit: the file may be
    # ready.
    export.refresh_from_db()
    context = {"export": export, "count": len(ids), "refresh": REFRESH_SECONDS}
    if export.status == PdfExport.Status.READY:
        try:
            handle = export.file.open("rb")
        except FileNotFoundError:
            # pdf.purge_exports deleted it between the lookup and now: the page's next reload asks for a new build.
            return _wait_page(request, context)
        response = FileResponse(handle, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="catalogo-progetti-anci-lombardia.pdf"'
        response["Cache-Control"] = "public, max-age=300"
        return response
    if export.status == PdfExport.Status.FAILED:
        return render(request, "pdf/preparing.html", {**context, "failed": True}, status=503)
    return _wait_page(request, context)
