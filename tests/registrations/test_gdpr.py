"""GDPR: per-person export and erasure, and the retention purge command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from registrations.gdpr import person_erase, person_export, registrations_purge
from registrations.messaging import meetings_message_confirmed
from registrations.models import OrganizationType, OutboundEmail, Registration
from registrations.tasks import purge_old_registrations as purge_registrations
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _email(registration: Registration, **kwargs) -> OutboundEmail:
    return OutboundEmail.objects.create(
        to=registration.email, template="t", subject="Oggetto", body_text="Ciao", registration=registration, **kwargs
    )


def test_person_export_has_every_registration_and_email_of_the_address():
    one = RegistrationFactory(email="Anna@Comune.it", first_name="Anna")
    two = RegistrationFactory(email="anna@comune.it", first_name="Anna")
    RegistrationFactory(email="altro@comune.it")
    _email(one)
    data = person_export(email="anna@comune.it")
    assert [r["id"] for r in data["registrations"]] == [one.pk, two.pk]
    assert data["registrations"][0]["meeting"]["title"] == one.meeting.title
    assert data["registrations"][0]["organization"] == "Comune di Bergamo"
    assert [e["subject"] for e in data["emails"]] == ["Oggetto"]


def test_person_export_has_the_survey_answers():
    from surveys.models import Answer, Question, Questionnaire, Response

    anna = RegistrationFactory(email="anna@comune.it", attended=True)
    other = RegistrationFactory(email="altro@comune.it", attended=True)
    questionnaire = Questionnaire.objects.create(title="Gradimento")
    useful = Question.objects.create(questionnaire=questionnaire, label="Utilità", position=1)
    comment = Question.objects.create(
        questionnaire=questionnaire, label="Commenti", kind=Question.Kind.COMMENT, required=False, position=2
    )
    for registration, text in [(anna, "Molto utile"), (other, "Altro")]:
        response = Response.objects.create(registration=registration, questionnaire=questionnaire)
        Answer.objects.create(response=response, question=comment, text=text)
        Answer.objects.create(response=response, question=useful, score=4)

    [exported] = person_export(email="Anna@comune.it")["survey_answers"]
    assert exported["meeting_id"] == anna.meeting_id
    assert exported["answers"] == [
        {"question": "Utilità", "score": 4, "comment": ""},
        {"question": "Commenti", "score": None, "comment": "Molto utile"},
    ]


def test_person_erase_anonymises_and_removes_history_and_emails():
    one = RegistrationFactory(email="anna@comune.it", first_name="Anna", last_name="Verdi", role="Sindaca")
    keep = RegistrationFactory(email="altro@comune.it")
    _email(one)
    _email(keep)
    old_token = one.token
    assert one.history.count() == 1
    assert person_erase(email="ANNA@comune.it") == 1
    one.refresh_from_db()
    assert (one.first_name, one.last_name, one.role) == ("Anonimo", "", "")
    assert one.email == f"anonimo-{one.pk}@anonimo.invalid"
    assert one.token != old_token
    # The meeting is still to come: the seat was given back before anonymising (see the erasure tests below).
    assert (one.organization, one.organization_type, one.status) == ("Comune di Bergamo", "comune", "cancelled")
    assert one.history.count() == 0
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["altro@comune.it"]
    assert keep.history.count() == 1


def test_purge_anonymises_only_meetings_older_than_the_retention():
    now = timezone.now()
    old_meeting = MeetingFactory(
        starts_at=now - datetime.timedelta(days=800), ends_at=now - datetime.timedelta(days=799)
    )
    recent = MeetingFactory(starts_at=now - datetime.timedelta(days=300), ends_at=now - datetime.timedelta(days=299))
    old = RegistrationFactory(meeting=old_meeting, organization_type=OrganizationType.UNIONE, attended=True)
    RegistrationFactory(meeting=old_meeting, organization_type=OrganizationType.COMUNE)
    fresh = RegistrationFactory(meeting=recent)
    assert registrations_purge(older_than_months=24) == 2
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.first_name == "Anonimo" and old.attended and old.organization_type == "unione"
    assert fresh.first_name == "Giulia"
    # Counts by organisation type survive the purge.
    by_type = dict(
        Registration.objects.filter(meeting=old_meeting).values_list("organization_type").annotate(n=Count("id"))
    )
    assert by_type == {"unione": 1, "comune": 1}
    assert registrations_purge(older_than_months=24) == 0  # idempotent


def test_purge_command_parses_the_period_and_reports(settings):
    now = timezone.now()
    meeting = MeetingFactory(starts_at=now - datetime.timedelta(days=400), ends_at=now - datetime.timedelta(days=399))
    RegistrationFactory(meeting=meeting)
    out = StringIO()
    call_command("purge_registrations", "--older-than", "24m", stdout=out)
    assert out.getvalue() == "Anonymised 0 registration(s) of meetings older than 24 months.\n"
    call_command("purge_registrations", "--older-than", "1y", stdout=out)
    assert "Anonymised 1 registration(s) of meetings older than 12 months." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("purge_registrations", "--older-than", "due anni")


def test_purge_task_uses_the_setting(settings):
    settings.REGISTRATION_RETENTION_MONTHS = 1
    now = timezone.now()
    meeting = MeetingFactory(starts_at=now - datetime.timedelta(days=60), ends_at=now - datetime.timedelta(days=59))
    RegistrationFactory(meeting=meeting)
    assert purge_registrations() == 1


# --- Erasure cancels the person's future registrations first; nothing is ever queued to an anonymised address --------
@pytest.fixture
def erased_person_setup():
    now = timezone.now()
    future = MeetingFactory(capacity=1, title="Futuro")
    past = MeetingFactory(
        title="Passato",
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=30, hours=-4),
    )
    seat = RegistrationFactory(meeting=future, email="anna@comune.it", first_name="Anna")
    waiting = RegistrationFactory(meeting=future, email="bruno@comune.it", status=Registration.Status.WAITLISTED)
    attended = RegistrationFactory(meeting=past, email="anna@comune.it", attended=True)
    return future, past, seat, waiting, attended


def test_erasure_gives_the_future_seat_to_the_waiting_list_and_emails_nobody_erased(
    erased_person_setup, django_capture_on_commit_callbacks
):
    future, _past, seat, waiting, attended = erased_person_setup
    with django_capture_on_commit_callbacks(execute=True):
        assert person_erase(email="anna@comune.it") == 2
    seat.refresh_from_db()
    waiting.refresh_from_db()
    attended.refresh_from_db()
    assert (seat.status, seat.first_name, seat.cancelled_at is not None) == ("cancelled", "Anonimo", True)
    assert waiting.status in {"pending", "confirmed"}
    # The past registration keeps its status and attendance for the funders' counts.
    assert (attended.status, attended.attended, attended.first_name) == ("confirmed", True, "Anonimo")
    # Only the promoted person was written to; nothing to the erased person, before or after anonymising.
    assert list(OutboundEmail.objects.values_list("to", "template")) == [("bruno@comune.it", "promoted")]
    assert not Registration.objects.filter(meeting=future).holding_seat().filter(first_name="Anonimo").exists()


def test_the_outbox_never_queues_mail_to_an_anonymised_address(erased_person_setup):
    from registrations.outbox import email_enqueue

    _future, past, _seat, _waiting, attended = erased_person_setup
    person_erase(email="anna@comune.it")
    attended.refresh_from_db()
    assert email_enqueue(to=attended.email, template="staff_message", context={}, language="it") is None
    assert email_enqueue(to="X@ANONIMO.INVALID", template="staff_message", context={}, language="it") is None
    # A staff message to the past meeting's confirmed registrants: the anonymised one is skipped, and not counted.
    RegistrationFactory(meeting=past, email="carla@comune.it")
    assert meetings_message_confirmed(meeting_ids=[past.pk], subject="Materiali", body="Ecco le slide.") == 1
    assert list(OutboundEmail.objects.filter(template="staff_message").values_list("to", flat=True)) == [
        "carla@comune.it"
    ]


def test_gdpr_erase_through_the_admin_confirms_then_cancels_and_anonymises(
    admin_client, erased_person_setup, django_capture_on_commit_callbacks
):
    future, _past, seat, waiting, _attended = erased_person_setup
    url = reverse("admin:registrations_registration_changelist")
    page = admin_client.post(url, {"action": "gdpr_erase", "_selected_action": [seat.pk]}).content.decode()
    assert "GDPR: cancella i dati di anna@comune.it" in page
    assert Registration.objects.filter(email="anna@comune.it").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"action": "gdpr_erase", "_selected_action": [seat.pk], "apply": "1"}, follow=True
        )
    assert "2 iscrizioni anonimizzate" in response.content.decode()
    assert not Registration.objects.filter(email="anna@comune.it").exists()
    waiting.refresh_from_db()
    assert waiting.status in {"pending", "confirmed"}
    assert list(OutboundEmail.objects.values_list("to", "template")) == [("bruno@comune.it", "promoted")]
    # Whoever holds a seat now (the sign-in sheet's people) is the promoted person, not "Anonimo".
    assert list(Registration.objects.holding_seat().filter(meeting=future).values_list("email", flat=True)) == [
        "bruno@comune.it"
    ]
