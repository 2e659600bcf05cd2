"""The portal's PDF documents: what each one shows, what its cache key depends on, and the bytes.

These functions are what views, the admin actions and the Celery task call:
``lab_programme_pdf(lab)``, ``signin_sheet_pdf(meeting)``, ``certificate_pdf(certificate)``, ``catalogue_pdf(params)``.

Only the public documents (programme, catalogue) go through the cache. The sign-in sheet and the certificate print
personal data (names, organisations, roles, attendance): they are rendered at every request so that none of it sits in
the shared cache (Redis), where it would outlive an erasure or anonymisation by hours. They are staff-only, asked for
a few times per meeting, and render in about a second.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Max
from django.urls import NoReverseMatch
from django.utils import timezone

from core.cache import content_version
from labs.models import Lab, Meeting
from registrations import certificates
from registrations.attendance import meeting_attendees
from registrations.models import Certificate, Registration

from . import catalogue
from .cache import cached_pdf, digest, make_key
from .qr import qr_svg_data_uri
from .rendering import render_pdf

# Above this many projects the catalogue is built by a Celery task (tasks.build_catalogue_export), not in a request.
CATALOGUE_SYNC_LIMIT = 50


# --- Lab programme ----------------------------------------------------------------------------------------------------
def lab_registration_url(lab: Lab) -> str:
    """The lab's public page, where people register (SITE_URL: the PDF is read away from the site)."""
    try:
        path = lab.get_absolute_url()
    except NoReverseMatch:
        # The path the URL contract gives labs:detail, for when the labs URLconf is not loaded (isolated tests).
        path = f"/laboratori/{lab.slug}/"
    return settings.SITE_URL + path


def lab_programme_key(lab: Lab) -> str:
    meetings = lab.meetings.aggregate(latest=Max("updated_at"), count=Count("pk"))
    # Venues have no timestamp; the content version moves with any venue edit (access notes print in the programme).
    return make_key(
        "programme", content_version(), lab.pk, lab.updated_at.isoformat(), meetings["latest"], meetings["count"]
    )


def _lab_programme_context(lab: Lab, *, draft: bool = False) -> dict:
    # online_url is deliberately never loaded: the public programme must not be able to print it.
    meetings = list(
        lab.meetings.select_related("venue").defer("online_url").order_by("order", "starts_at", "pk"),
    )
    venues = list({m.venue_id: m.venue for m in meetings if m.venue_id}.values())
    url = lab_registration_url(lab)
    return {
        "lab": lab,
        "meetings": meetings,
        "venues": venues,
        "registration_url": url,
        "qr_data_uri": qr_svg_data_uri(url),
        "generated_on": timezone.localdate(),
        "draft": draft,
    }


def lab_programme_render(lab: Lab, *, draft: bool = False) -> bytes:
    """``draft``: a staff preview of an unpublished lab, marked "Bozza — non pubblicato" at the top."""
    return render_pdf("pdf/lab_programme.html", _lab_programme_context(lab, draft=draft))


def lab_programme_pdf(lab: Lab) -> bytes:
    return cached_pdf(lab_programme_key(lab), lambda: lab_programme_render(lab))


# --- Sign-in sheet ----------------------------------------------------------------------------------------------------
def signin_registrations(meeting: Meeting) -> list[Registration]:
    # The same people in the same order as the check-in page at the door (registrations/attendance.py).
    return list(meeting_attendees(meeting.pk).only("first_name", "last_name", "organization", "role", "meeting_id"))


def _signin_context(meeting: Meeting) -> dict:
    registrations = signin_registrations(meeting)
    return {
        "meeting": meeting,
        "lab": meeting.lab,
        "registrations": registrations,
        "total": len(registrations),
        # A hybrid meeting's online attendees do not sign the paper sheet: the sheet says how many they are.
        "online_count": (
            Registration.objects.confirmed().filter(meeting=meeting, attendance_mode=Meeting.Mode.ONLINE).count()
            if meeting.is_hybrid
            else 0
        ),
        "organizations": len({r.organization.strip().lower() for r in registrations}),
        # Rows for people who turn up without having registered.
        "blank_rows": range(5),
    }


def signin_sheet_pdf(meeting: Meeting) -> bytes:
    # Never cached: it lists the registrants (see the module docstring).
    return render_pdf("pdf/signin_sheet.html", _signin_context(meeting))


# --- Attendance certificate -------------------------------------------------------------------------------------------
# The rules (who gets one, hours, the verification code) live in registrations/certificates.py; this renders it.
NoAttendance = certificates.NoAttendance
meeting_hours = certificates.meeting_hours
format_hours = certificates.format_hours


def certificate_verification_url(certificate: Certificate) -> str:
    """The public page that confirms the certificate (absolute: the PDF is read, and scanned, away from the site)."""
    return settings.SITE_URL + certificate.get_absolute_url()


def _certificate_context(certificate: Certificate) -> dict:
    meetings = certificates.attended_meetings(certificate)
    verification_url = certificate_verification_url(certificate)
    return {
        "certificate": certificate,
        "lab": certificate.lab,
        "meeting": certificate.meeting,
        "rows": [{"meeting": meeting, "hours": format_hours(meeting_hours(meeting))} for meeting in meetings],
        "total_hours": format_hours(certificate.hours_attended),
        "hours_offered": format_hours(certificate.hours_offered),
        "issued_on": timezone.localdate(certificate.issued_at),
        "verification_url": verification_url,
        "qr_data_uri": qr_svg_data_uri(verification_url),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as issued (registrations.certificates.certificate_issue). Never cached: personal data."""
    return render_pdf("pdf/certificate.html", _certificate_context(certificate))


def registration_certificate_pdf(registration: Registration, kind: str) -> tuple[Certificate, bytes]:
    """Issue (or bring up to date) the registration's person's certificate of ``kind`` and render it; NoAttendance
    when the person was not marked present."""
    certificate = certificates.certificate_issue(registration_id=registration.pk, kind=kind)
    return certificate, certificate_pdf(certificate)


# --- Catalogue --------------------------------------------------------------------------------------------------------
def catalogue_key(ids: list[int], latest, filters: list[str]) -> str:
    """Keyed on the projects listed and the filters printed on the cover, not on the query string: the cover never
    prints a free-text query, so varying it cannot multiply the documents built."""
    return make_key("catalogue", digest(ids), len(ids), latest, digest(filters))


class InvalidFilters(ValueError):
    """The catalogue's parameters do not validate; ``messages`` says why, one line per parameter."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def catalogue_selection(params: dict[str, str]) -> tuple[list[int], object, list[str]]:
    """(project ids, their latest change, the filters described for the cover) or InvalidFilters."""
    filterset = catalogue.catalogue_filter(params)
    if not filterset.is_valid():
        raise InvalidFilters(filterset.error_messages())
    ids, latest = catalogue.fingerprint(filterset.qs)
    return ids, latest, catalogue.describe_filters(filterset)


def catalogue_context(ids: list[int], filters: list[str]) -> dict:
    projects = catalogue.catalogue_rows(ids)
    return {
        "sections": catalogue.sections(projects),
        "count": len(projects),
        "filters": filters,
        "generated_on": timezone.localdate(),
    }


def render_catalogue(ids: list[int], filters: list[str], progress=None) -> bytes:
    return render_pdf("pdf/catalogue.html", catalogue_context(ids, filters), progress)


def catalogue_pdf(params: dict[str, str] | None = None) -> bytes:
    """The catalogue for the public catalogue's ``params`` (area, stato, programma, anno, q…), rendered now whatever
    its size; InvalidFilters when they do not validate.

    The public view sends catalogues above CATALOGUE_SYNC_LIMIT projects to the background task instead; admin code
    that calls this directly accepts the wait.
    """
    ids, latest, filters = catalogue_selection(catalogue.clean_params(params or {}))
    return cached_pdf(catalogue_key(ids, latest, filters), lambda: render_catalogue(ids, filters))
