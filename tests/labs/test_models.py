"""labs/models.py: "registration is open" is one rule, in Python and in SQL."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from labs.models import Meeting
from registrations.models import Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _meetings() -> dict[str, Meeting]:
    now = timezone.now()
    day = datetime.timedelta(days=1)
    return {
        "open": MeetingFactory(starts_at=now + 10 * day),
        "cancelled": MeetingFactory(starts_at=now + 10 * day, cancelled=True),
        "no_date": MeetingFactory(starts_at=None, venue=None),
        "past": MeetingFactory(starts_at=now - day),
        "not_open_yet": MeetingFactory(starts_at=now + 10 * day, registration_opens_at=now + day),
        "closed": MeetingFactory(starts_at=now + 10 * day, registration_closes_at=now - day),
        "unpublished": MeetingFactory(starts_at=now + 10 * day, lab=LabFactory(published=False)),
        "open_window": MeetingFactory(
            starts_at=now + 10 * day, registration_opens_at=now - day, registration_closes_at=now + day
        ),
    }


def test_each_meeting_says_why_registration_is_closed():
    meetings = _meetings()
    reasons = {name: meeting.registration_closed_reason() for name, meeting in meetings.items()}
    assert reasons == {
        "open": None,
        "cancelled": "cancelled",
        "no_date": "no_date",
        "past": "past",
        "not_open_yet": "not_open_yet",
        "closed": "closed",
        "unpublished": "unpublished",
        "open_window": None,
    }
    assert {name for name, meeting in meetings.items() if meeting.registration_open} == {"open", "open_window"}


def test_the_queryset_is_the_same_rule_in_sql():
    meetings = _meetings()
    in_sql = set(Meeting.objects.open_for_registration().values_list("pk", flat=True))
    in_python = {m.pk for m in Meeting.objects.select_related("lab") if m.registration_closed_reason() is None}
    assert in_sql == in_python == {meetings["open"].pk, meetings["open_window"].pk}


def test_seats_taken_counts_what_holds_a_seat():
    meeting = MeetingFactory(capacity=10)
    for status in Registration.Status.values:
        RegistrationFactory(meeting=meeting, status=status)
    annotated = Meeting.objects.with_seats_taken().get(pk=meeting.pk)
    assert annotated.seats_taken == meeting.registrations.holding_seat().count() == 2
    assert annotated.seats_left == 8
