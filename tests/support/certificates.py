"""A lab whose meetings took place, with attendance marked: the certificates tests' shared scene."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from labs.models import Meeting
from registrations.models import Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))


def lab_with_attendance() -> SimpleNamespace:
    """«Welfare di comunità»: four meetings held in March 2026 (4 h, 1,5 h, 3 h, and a visit with no end time), one
    cancelled and one still to come. Giulia attended the first two, Marco only the first, Anna registered but did not come."""
    lab = LabFactory(title="Welfare di comunità", slug="welfare-di-comunita", organizer="ANCI Lombardia")
    first = MeetingFactory(lab=lab, order=1, title="Primo incontro", starts_at=_at(3, 9, 30), ends_at=_at(3, 13, 30))
    second = MeetingFactory(lab=lab, order=2, title="Secondo incontro", starts_at=_at(12, 14), ends_at=_at(12, 15, 30))
    third = MeetingFactory(lab=lab, order=3, title="Terzo incontro", starts_at=_at(26, 9, 30), ends_at=_at(26, 12, 30))
    visit = MeetingFactory(lab=lab, order=4, title="Visita di studio", starts_at=_at(28, 9), ends_at=None)
    MeetingFactory(lab=lab, order=6, title="Incontro annullato", starts_at=_at(20, 9), cancelled=True)
    future = timezone.now() + datetime.timedelta(days=20)
    MeetingFactory(
        lab=lab, order=5, title="Incontro futuro", starts_at=future, ends_at=future + datetime.timedelta(hours=2)
    )
    giulia = {"first_name": "Giulia", "last_name": "Ferrari", "organization": "Comune di Como", "role": "Funzionaria"}
    now = timezone.now()
    giulia_first = RegistrationFactory(
        meeting=first, email="giulia@como.example.it", attended=True, attended_at=now, **giulia
    )
    giulia_second = RegistrationFactory(
        meeting=second, email="Giulia@Como.example.it", attended=True, attended_at=now, **giulia
    )
    RegistrationFactory(meeting=third, email="giulia@como.example.it", attended=False, **giulia)
    marco = RegistrationFactory(
        meeting=first,
        first_name="Marco",
        last_name="Bruni",
        email="marco@lodi.example.it",
        organization="Comune di Lodi",
        role="",
        attended=True,
        attended_at=now,
    )
    anna = RegistrationFactory(meeting=first, first_name="Anna", last_name="Neri", email="anna@pavia.example.it")
    RegistrationFactory(meeting=first, first_name="Ugo", last_name="Annullato", status=Registration.Status.CANCELLED)
    return SimpleNamespace(
        lab=lab,
        first=first,
        second=second,
        third=third,
        visit=visit,
        giulia=giulia_first,
        giulia_second=giulia_second,
        marco=marco,
        anna=anna,
        meetings=Meeting.objects.filter(lab=lab),
    )
