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


def _at(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def _concluded_cases() -> dict[str, object]:
    """One lab per case of the "concluded" rule, named by what it should say."""
    this_year = timezone.localdate().year
    labs = {}
    labs["all past"] = LabFactory(edition_year=this_year)
    MeetingFactory(lab=labs["all past"], starts_at=_at(-20))
    MeetingFactory(lab=labs["all past"], starts_at=_at(-10))
    labs["one to come"] = LabFactory()
    MeetingFactory(lab=labs["one to come"], starts_at=_at(-10))
    MeetingFactory(lab=labs["one to come"], starts_at=_at(10))
    labs["only a cancelled one to come"] = LabFactory()
    MeetingFactory(lab=labs["only a cancelled one to come"], starts_at=_at(-10))
    MeetingFactory(lab=labs["only a cancelled one to come"], starts_at=_at(10), cancelled=True)
    # The demo's 2021 labs: a final event the source never dated, in an edition long over.
    labs["dateless, past edition"] = LabFactory(edition_year=2021)
    MeetingFactory(
        lab=labs["dateless, past edition"], starts_at=datetime.datetime(2021, 9, 28, 9, 30, tzinfo=datetime.UTC)
    )
    MeetingFactory(lab=labs["dateless, past edition"], starts_at=None)
    labs["dateless, no year, old meetings"] = LabFactory(edition_year=None)
    MeetingFactory(lab=labs["dateless, no year, old meetings"], starts_at=_at(-800))
    MeetingFactory(lab=labs["dateless, no year, old meetings"], starts_at=None)
    labs["dateless, this year"] = LabFactory(edition_year=this_year)
    MeetingFactory(lab=labs["dateless, this year"], starts_at=_at(-1))
    MeetingFactory(lab=labs["dateless, this year"], starts_at=None)
    labs["no meetings"] = LabFactory()
    labs["only dateless"] = LabFactory(edition_year=2021)
    MeetingFactory(lab=labs["only dateless"], starts_at=None)
    return labs


CONCLUDED = {"all past", "only a cancelled one to come", "dateless, past edition", "dateless, no year, old meetings"}


def test_a_lab_is_concluded_when_its_meetings_took_place_and_none_is_to_come():
    labs = _concluded_cases()
    assert {name for name, lab in labs.items() if lab.concluded()} == CONCLUDED


def test_the_concluded_queryset_is_the_same_rule_in_sql():
    from labs.models import Lab

    labs = _concluded_cases()
    names = {lab.pk: name for name, lab in labs.items()}
    annotated = {names[lab.pk]: lab.is_concluded for lab in Lab.objects.with_concluded()}
    assert {name for name, concluded in annotated.items() if concluded} == CONCLUDED
    assert {names[pk] for pk in Lab.objects.concluded().values_list("pk", flat=True)} == CONCLUDED


def test_a_meeting_has_started_once_its_start_is_past():
    assert MeetingFactory(starts_at=_at(-1)).has_started
    assert not MeetingFactory(starts_at=_at(1)).has_started
    assert not MeetingFactory(starts_at=None).has_started
