"""GDPR: per-person export and erasure, and the retention purge command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from registrations.gdpr import person_erase, person_export, registrations_purge
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
