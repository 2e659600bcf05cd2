"""Fixtures of the surveys tests: a past meeting with materials, attendees, an absent registrant and a cancelled one."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ancilab_portal.celery import app as celery_app
from labs.models import MeetingMaterial
from registrations import outbox
from registrations.models import Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    outbox.reset_broker_state()
    yield celery_app
    celery_app.conf.task_always_eager = previous
    outbox.reset_broker_state()


@pytest.fixture
def meeting(db):
    lab = LabFactory(title="Lab Welfare", slug="lab-welfare")
    start = timezone.now() - datetime.timedelta(days=2)
    meeting = MeetingFactory(lab=lab, title="Primo incontro", starts_at=start)
    MeetingMaterial.objects.create(
        meeting=meeting, title="Slide", position=1, file=SimpleUploadedFile("slide.pdf", PDF)
    )
    MeetingMaterial.objects.create(
        meeting=meeting,
        title="Registrazione",
        title_en="Recording",
        kind="recording",
        position=2,
        url="https://video.example.org/primo",
    )
    RegistrationFactory(meeting=meeting, first_name="Anna", last_name="Verdi", email="anna@example.it", attended=True)
    RegistrationFactory(
        meeting=meeting, first_name="Bruno", last_name="Bianchi", email="bruno@example.it", attended=True, language="en"
    )
    RegistrationFactory(meeting=meeting, first_name="Carla", last_name="Neri", email="carla@example.it")
    RegistrationFactory(
        meeting=meeting,
        first_name="Dario",
        last_name="Gialli",
        email="dario@example.it",
        status=Registration.Status.CANCELLED,
    )
    return meeting


def registration(meeting, first_name: str) -> Registration:
    return Registration.objects.get(meeting=meeting, first_name=first_name)
