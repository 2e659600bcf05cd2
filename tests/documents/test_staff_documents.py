"""Staff PDFs: the sign-in sheet of a meeting and the attendance certificate of a registration."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import formats, timezone

from documents import documents
from documents.rendering import RENDERS
from registrations.models import Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory
from tests.support.totp import activate_totp_for_tests

from .helpers import first_page_png, page_texts, pdf_cache_kinds, pdf_text, reader, response_pdf

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="Il bilancio partecipativo", starts_at=_at(10, 9, 30), ends_at=_at(10, 13, 30), lab__title="Bilanci"
    )
    people = [
        ("Luca", "Verdi", "Comune di Brescia", "Assessore"),
        ("anna", "bianchi", "Comune di Bergamo", "Funzionaria"),
        ("Marco", "Rossi", "Comune di Bergamo", "Sindaco"),
        ("Elena", "Bianchi", "Comune di Lodi", ""),
    ]
    for first, last, organization, role in people:
        RegistrationFactory(meeting=meeting, first_name=first, last_name=last, organization=organization, role=role)
    RegistrationFactory(meeting=meeting, first_name="Paolo", last_name="Abate", status=Registration.Status.CANCELLED)
    RegistrationFactory(meeting=meeting, first_name="Zeno", last_name="Zeta", status=Registration.Status.PENDING)
    RegistrationFactory(meeting=meeting, first_name="Ugo", last_name="Attesa", status=Registration.Status.WAITLISTED)
    return meeting


@pytest.fixture
def staff_client(client):
    """A staff member with only the permission the staff PDFs ask for (and the TOTP every staff account has)."""
    user = User.objects.create_user("segreteria", "segreteria@example.it", "x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_registration"))
    activate_totp_for_tests(user)
    client.force_login(user)
    return client


def test_the_signin_sheet_lists_confirmed_registrants_by_surname(staff_client, meeting):
    response = staff_client.get(reverse("pdf:signin_sheet", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    pdf = response_pdf(response)
    text = pdf_text(pdf)
    rows = [line for line in text.splitlines() if re.match(r"^\d+ \w", line)]
    # Sorted by surname, then first name, ignoring case; names are printed as the people wrote them.
    assert rows == [
        "1 bianchi anna Comune di Bergamo Funzionaria",
        "2 Bianchi Elena Comune di Lodi",
        "3 Rossi Marco Comune di Bergamo Sindaco",
        "4 Verdi Luca Comune di Brescia Assessore",
    ]
    assert "Totale: 4 iscritti confermati · 3 enti" in text
    for absent in ("Abate", "Zeta", "Attesa"):
        assert absent not in text
    assert "Il bilancio partecipativo" in text
    assert "Cognome e nome Ente Ruolo Firma" in text
    assert "Pagina 1 di 1" in page_texts(pdf)[0]
    assert reader(pdf).metadata.title == "Foglio firme – Il bilancio partecipativo"


def test_staff_pdfs_are_not_for_anonymous_visitors(client, meeting):
    registration = meeting.registrations.first()
    for url in (
        reverse("pdf:signin_sheet", kwargs={"pk": meeting.pk}),
        reverse("pdf:certificate", kwargs={"pk": registration.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_staff_without_the_registrations_permission_get_403(client, meeting):
    user = User.objects.create_user("redazione", "redazione@example.it", "x", is_staff=True)
    activate_totp_for_tests(user)
    client.force_login(user)
    response = client.get(reverse("pdf:signin_sheet", kwargs={"pk": meeting.pk}))
    assert response.status_code == 403


def test_an_unknown_meeting_is_404(admin_client):
    assert admin_client.get(reverse("pdf:signin_sheet", kwargs={"pk": 999999})).status_code == 404


def test_the_signin_sheet_is_rendered_again_when_someone_registers(staff_client, meeting):
    url = reverse("pdf:signin_sheet", kwargs={"pk": meeting.pk})
    assert "Totale: 4 iscritti confermati" in pdf_text(staff_client.get(url).content)
    RegistrationFactory(meeting=meeting, first_name="Nuova", last_name="Arrivata")
    text = pdf_text(staff_client.get(url).content)
    assert "1 Arrivata Nuova Comune di Bergamo Funzionaria" in text
    assert "Totale: 5 iscritti confermati · 3 enti" in text


# --- Certificate ------------------------------------------------------------------------------------------------------
@pytest.fixture
def attendance():
    lab = LabFactory(title="Welfare di comunità", organizer="ANCI Lombardia")
    first = MeetingFactory(lab=lab, title="Primo incontro", starts_at=_at(3, 9, 30), ends_at=_at(3, 13, 30))
    second = MeetingFactory(lab=lab, title="Secondo incontro", starts_at=_at(12, 14), ends_at=_at(12, 15, 30))
    third = MeetingFactory(lab=lab, title="Terzo incontro", starts_at=_at(26, 9, 30), ends_at=_at(26, 13, 30))
    other_lab = MeetingFactory(title="Incontro di un altro laboratorio")
    person = {"first_name": "Giulia", "last_name": "Ferrari", "organization": "Comune di Como", "role": "Funzionaria"}
    now = timezone.now()
    registration = RegistrationFactory(
        meeting=first, email="giulia@como.example.it", attended=True, attended_at=now, **person
    )
    RegistrationFactory(meeting=second, email="Giulia@Como.example.it", attended=True, attended_at=now, **person)
    RegistrationFactory(meeting=third, email="giulia@como.example.it", attended=False, **person)
    RegistrationFactory(meeting=other_lab, email="giulia@como.example.it", attended=True, attended_at=now, **person)
    return registration


def test_the_certificate_lists_the_meetings_attended_with_hours(staff_client, attendance):
    response = staff_client.get(reverse("pdf:certificate", kwargs={"pk": attendance.pk}))
    assert response.status_code == 200
    pdf = response_pdf(response)
    text = pdf_text(pdf)
    assert "Si attesta che\nGiulia Ferrari\nFunzionaria, Comune di Como" in text
    assert "ha partecipato al laboratorio\nWelfare di comunità" in text
    assert "Primo incontro" in text and "4 ore" in text
    assert "Secondo incontro" in text and "1,5 ore" in text
    assert "Totale 5,5 ore" in text
    assert "Terzo incontro" not in text
    assert "Incontro di un altro laboratorio" not in text
    assert "3 marzo 2026, 9:30–13:30" in text and "12 marzo 2026, 14:00–15:30" in text
    assert f"Milano, {formats.date_format(timezone.localdate(), 'DATE_FORMAT')}" in text
    assert "Per ANCI Lombardia" in text
    assert reader(pdf).metadata.title == "Attestato di partecipazione – Giulia Ferrari"


def test_no_certificate_without_attendance(staff_client):
    registration = RegistrationFactory(first_name="Mario", last_name="Neri")
    response = staff_client.get(reverse("pdf:certificate", kwargs={"pk": registration.pk}))
    assert response.status_code == 409
    assert "Mario Neri non risulta presente a nessun incontro del laboratorio" in response.content.decode()
    with pytest.raises(documents.NoAttendance):
        documents.registration_certificate_pdf(registration, "lab")


def test_hours_are_written_in_italian():
    from decimal import Decimal

    assert documents.format_hours(Decimal(4)) == "4 ore"
    assert documents.format_hours(Decimal("1.5")) == "1,5 ore"
    assert documents.format_hours(Decimal(1)) == "1 ora"
    assert documents.format_hours(None) == ""


def test_staff_pdfs_hold_personal_data_so_they_are_rendered_every_time_and_never_cached(
    staff_client, meeting, attendance
):
    """Names, organisations and attendance must not sit in the shared cache (Redis): every request renders again."""
    urls = [
        reverse("pdf:signin_sheet", kwargs={"pk": meeting.pk}),
        reverse("pdf:certificate", kwargs={"pk": attendance.pk}),
    ]
    before = RENDERS.count
    for url in urls * 2:
        response = staff_client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    assert RENDERS.count == before + 4
    assert pdf_cache_kinds() == []
    # The public programme still is cached: the helper does see PDF keys when there are some.
    staff_client.get(reverse("pdf:lab_programme", kwargs={"slug": attendance.meeting.lab.slug}))
    assert pdf_cache_kinds() == ["programme"]


def test_page_one_of_the_staff_pdfs_as_png(admin_client, meeting, attendance, tmp_path):
    sheet = response_pdf(admin_client.get(reverse("pdf:signin_sheet", kwargs={"pk": meeting.pk})))
    certificate = response_pdf(admin_client.get(reverse("pdf:certificate", kwargs={"pk": attendance.pk})))
    for name, pdf in (("foglio-firme", sheet), ("attestato", certificate)):
        assert first_page_png(pdf, tmp_path, name).read_bytes()[:4] == b"\x89PNG"
