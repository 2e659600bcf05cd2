"""registrations/certificates.py: issuing certificates once, their hours, and the bulk send through the outbox."""

from __future__ import annotations

import email
import re
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from registrations import certificates
from registrations.certificates import NoAttendance, certificate_issue, certificates_send
from registrations.gdpr import person_erase, person_export
from registrations.models import CERTIFICATE_CODE_ALPHABET, Certificate, OutboundEmail
from tests.support.certificates import lab_with_attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return lab_with_attendance()


def test_a_meeting_certificate_is_issued_once_and_keeps_its_code(scene):
    first = certificate_issue(registration_id=scene.marco.pk, kind="meeting")
    again = certificate_issue(registration_id=scene.marco.pk, kind="meeting")
    assert again.pk == first.pk and again.code == first.code
    assert Certificate.objects.count() == 1
    assert (first.kind, first.lab_id, first.meeting_id) == ("meeting", scene.lab.pk, scene.first.pk)
    assert (first.first_name, first.last_name, first.organization, first.email) == (
        "Marco",
        "Bruni",
        "Comune di Lodi",
        "marco@lodi.example.it",
    )
    assert (first.hours_attended, first.hours_offered) == (Decimal(4), Decimal(4))
    assert (first.meetings_attended, first.meetings_offered) == (1, 1)


def test_the_code_is_ten_unambiguous_characters_and_shown_in_two_groups(scene):
    certificate = certificate_issue(registration_id=scene.marco.pk, kind="meeting")
    assert re.fullmatch(f"[{CERTIFICATE_CODE_ALPHABET}]{{10}}", certificate.code)
    assert not set("01IOLUV8") & set(CERTIFICATE_CODE_ALPHABET)
    assert certificate.display_code == f"{certificate.code[:5]}-{certificate.code[5:]}"
    assert certificates.normalize_code(f" {certificate.display_code.lower()} ") == certificate.code


def test_a_lab_certificate_counts_hours_attended_over_hours_of_the_meetings_held(scene):
    certificate = certificate_issue(registration_id=scene.giulia.pk, kind="lab")
    # Held: the first three (4 + 1,5 + 3 hours) and the visit with no end time (no hours); not the cancelled meeting,
    # nor the one still to come.
    assert (certificate.hours_attended, certificate.hours_offered) == (Decimal("5.5"), Decimal("8.5"))
    assert (certificate.meetings_attended, certificate.meetings_offered) == (2, 4)
    assert certificate.meeting_id is None
    # Her latest meeting attended gives the token of the links.
    assert certificate.registration_id == scene.giulia_second.pk
    # The same person, whichever of her registrations (the email differs in case) asks.
    assert certificate_issue(registration_id=scene.giulia_second.pk, kind="lab").pk == certificate.pk
    assert [m.title for m in certificates.attended_meetings(certificate)] == ["Primo incontro", "Secondo incontro"]


def test_issuing_again_brings_the_hours_up_to_date_after_attendance_is_corrected(scene):
    certificate = certificate_issue(registration_id=scene.giulia.pk, kind="lab")
    third = scene.third.registrations.get(email="giulia@como.example.it")
    third.attended = True
    third.save()
    again = certificate_issue(registration_id=scene.giulia.pk, kind="lab")
    assert (again.pk, again.code) == (certificate.pk, certificate.code)
    assert (again.hours_attended, again.meetings_attended) == (Decimal("8.5"), 3)
    assert Certificate.objects.get().hours_attended == Decimal("8.5")


def test_nobody_gets_a_certificate_without_being_marked_present(scene):
    with pytest.raises(NoAttendance):
        certificate_issue(registration_id=scene.anna.pk, kind="meeting")
    with pytest.raises(NoAttendance):
        certificate_issue(registration_id=scene.anna.pk, kind="lab")
    # Giulia did not come to the third meeting: no certificate for it, though she has one for the lab.
    with pytest.raises(NoAttendance):
        certificate_issue(registration_id=scene.third.registrations.get().pk, kind="meeting")
    assert Certificate.objects.count() == 0


def test_meeting_hours_and_their_italian_wording(scene):
    assert certificates.meeting_hours(scene.second) == Decimal("1.5")
    assert certificates.meeting_hours(scene.visit) is None
    assert certificates.format_hours(Decimal("8.5")) == "8,5 ore"
    assert certificates.format_hours(Decimal("1.0")) == "1 ora"
    assert certificates.format_hours(Decimal("10")) == "10 ore"


# --- Bulk send ------------------------------------------------------------------------------------------------------
def test_sending_a_meetings_certificates_twice_emails_each_attendee_once(scene):
    result = certificates_send(meeting_id=scene.first.pk)
    assert sorted(c.last_name for c in result.issued) == ["Bruni", "Ferrari"]
    assert len(result.queued) == 2 and result.already_sent == []
    again = certificates_send(meeting_id=scene.first.pk)
    assert len(again.issued) == 2 and again.queued == [] and len(again.already_sent) == 2
    rows = OutboundEmail.objects.filter(template="certificate")
    assert sorted(rows.values_list("to", flat=True)) == ["giulia@como.example.it", "marco@lodi.example.it"]
    # The outbox row is the log: each certificate points at its email.
    for certificate in Certificate.objects.all():
        assert certificate.emailed_at is not None
        assert certificate.email_message.to == certificate.email


def test_a_labs_certificates_go_to_everybody_present_at_any_meeting_held(scene):
    result = certificates_send(lab_id=scene.lab.pk)
    assert sorted((c.last_name, c.kind) for c in result.queued) == [("Bruni", "lab"), ("Ferrari", "lab")]
    certificates_send(lab_id=scene.lab.pk)
    assert OutboundEmail.objects.filter(template="certificate").count() == 2
    # Meeting and lab certificates are different documents: sending the meeting's now emails them too.
    certificates_send(meeting_id=scene.first.pk)
    assert OutboundEmail.objects.filter(template="certificate").count() == 4


def test_the_certificate_email_as_delivered(scene, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "core.mail.EmlFileBackend"
    settings.SITE_URL = "https://laboratori.example.it"
    with django_capture_on_commit_callbacks(execute=True):
        certificates_send(lab_id=scene.lab.pk)
    with django_capture_on_commit_callbacks(execute=True):
        certificates_send(lab_id=scene.lab.pk)
    files = sorted(Path(settings.EMAIL_FILE_PATH).glob("*.eml"))
    assert len(files) == 2
    messages = {m["To"]: m for m in (email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files)}
    giulia = messages["giulia@como.example.it"]
    certificate = Certificate.objects.get(email="giulia@como.example.it")
    # (Python folds a long non-ASCII subject onto the next line; the parser keeps the fold's space.)
    assert giulia["Subject"].strip() == "Il tuo attestato di partecipazione: Welfare di comunità"
    text = giulia.get_body(("plain",)).get_content()
    token = scene.giulia_second.token
    assert text.startswith("Gentile Giulia,\n\ngrazie per aver partecipato al laboratorio «Welfare di comunità».")
    assert (
        f"Scarica l'attestato (PDF): https://laboratori.example.it/iscrizioni/{token}/attestato-laboratorio.pdf" in text
    )
    assert f"Codice di verifica: {certificate.display_code}" in text
    assert f"https://laboratori.example.it/attestati/{certificate.code}/" in text
    html = giulia.get_body(("html",)).get_content()
    assert f'href="https://laboratori.example.it/iscrizioni/{token}/attestato-laboratorio.pdf"' in html
    assert OutboundEmail.objects.get(to="giulia@como.example.it").status == OutboundEmail.Status.SENT


def test_the_meeting_certificate_email_links_the_meetings_pdf(scene):
    certificates_send(meeting_id=scene.first.pk)
    row = OutboundEmail.objects.get(to="marco@lodi.example.it")
    assert row.subject == "Il tuo attestato di partecipazione: Primo incontro"
    assert f"/iscrizioni/{scene.marco.token}/attestato.pdf" in row.body_text
    assert "all'incontro «Primo incontro» del laboratorio «Welfare di comunità»" in row.body_text


# --- Personal data --------------------------------------------------------------------------------------------------
def test_erasure_removes_the_persons_certificates_and_export_lists_them(scene):
    certificates_send(meeting_id=scene.first.pk)
    certificate_issue(registration_id=scene.giulia.pk, kind="lab")
    exported = person_export(email="giulia@como.example.it")
    assert sorted(c["kind"] for c in exported["certificates"]) == ["lab", "meeting"]
    person_erase(email="Giulia@como.example.it")
    assert list(Certificate.objects.values_list("last_name", flat=True)) == ["Bruni"]
    # An anonymised registration gets no certificate.
    with pytest.raises(NoAttendance):
        certificate_issue(registration_id=scene.giulia.pk, kind="meeting")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_members_sending_at_the_same_instant_email_each_person_once(postgres_only):
    """Real row locks: the unique constraint makes the second first-issue read the first one's certificate, and the
    conditional UPDATE of emailed_at lets only one run queue the email."""
    import threading

    from django.db import connection

    scene = lab_with_attendance()
    runs = 4
    barrier = threading.Barrier(runs)
    errors: list[str] = []
    queued: list[int] = []

    def send() -> None:
        try:
            barrier.wait(timeout=30)
            queued.append(len(certificates_send(lab_id=scene.lab.pk).queued))
        except Exception as exc:  # noqa: BLE001 - every error is a test failure, collected and shown
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(queued) == 2
    assert Certificate.objects.count() == 2
    assert OutboundEmail.objects.filter(template="certificate").count() == 2


def test_no_meeting_certificate_before_the_meeting_took_place():
    """Attendance confirmed early at the door is not a meeting attended (the same "held" rule as a lab's)."""
    import datetime

    from django.utils import timezone

    from labs.models import Meeting
    from registrations.certificates import NoAttendance, certificate_issue, held_meetings_q, is_held
    from registrations.models import Certificate
    from tests.factories import MeetingFactory, RegistrationFactory

    soon = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(hours=2))
    registration = RegistrationFactory(meeting=soon, attended=True)
    with pytest.raises(NoAttendance):
        certificate_issue(registration_id=registration.pk, kind=Certificate.Kind.MEETING)
    assert not Certificate.objects.exists()
    past = MeetingFactory(starts_at=timezone.now() - datetime.timedelta(hours=2))
    cancelled = MeetingFactory(starts_at=timezone.now() - datetime.timedelta(hours=2), cancelled=True)
    held = set(Meeting.objects.filter(held_meetings_q()).values_list("pk", flat=True))
    assert {m.pk for m in (soon, past, cancelled) if is_held(m)} == held & {soon.pk, past.pk, cancelled.pk} == {past.pk}
