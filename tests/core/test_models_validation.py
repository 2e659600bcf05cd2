"""Model validation: the exact errors staff see in the admin."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from labs.models import Meeting
from tests.factories import LabFactory, MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _errors(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    return info.value.message_dict


def _png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")


def test_it_refuses_a_meeting_that_ends_before_it_starts():
    meeting = MeetingFactory.build(lab=LabFactory(), venue=None, format=Meeting.Format.ONLINE)
    meeting.ends_at = meeting.starts_at - datetime.timedelta(hours=1)
    assert _errors(meeting) == {"ends_at": ["La fine deve essere successiva all'inizio."]}


def test_it_refuses_zero_capacity():
    meeting = MeetingFactory.build(lab=LabFactory(), venue=None, format=Meeting.Format.ONLINE, capacity=0)
    assert _errors(meeting) == {"capacity": ["Assicurati che questo valore sia maggiore o uguale a 1."]}


def test_it_requires_a_venue_for_in_person_meetings():
    meeting = MeetingFactory.build(lab=LabFactory(), venue=None, format=Meeting.Format.IN_PERSON)
    assert _errors(meeting) == {"venue": ["Un incontro in presenza o ibrido richiede una sede."]}


def test_it_accepts_a_meeting_with_date_to_be_defined():
    meeting = MeetingFactory.build(lab=LabFactory(), venue=None, format=Meeting.Format.ONLINE, starts_at=None)
    meeting.full_clean()
    assert meeting.date_to_be_defined is True


def test_it_refuses_a_negative_budget_and_an_end_before_start():
    project = ProjectFactory.build(
        budget=Decimal("-1"), start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 4, 1)
    )
    assert _errors(project) == {
        "budget": ["Assicurati che questo valore sia maggiore o uguale a 0."],
        "end_date": ["La data di fine non può precedere quella di inizio."],
    }


def test_it_refuses_a_duplicate_slug():
    ProjectFactory(slug="lab-impact")
    assert _errors(ProjectFactory.build(slug="lab-impact")) == {
        "slug": ["Progetto con questo Indirizzo breve esiste già."]
    }


def test_it_requires_alt_text_for_a_project_image():
    project = ProjectFactory.build(image=_png(20, 20), image_alt="")
    assert _errors(project) == {"image_alt": ["Descrivi l'immagine per chi non può vederla."]}


def test_it_refuses_a_decompression_bomb(settings):
    settings.IMAGE_MAX_PIXELS = 1_000
    project = ProjectFactory.build(image=_png(100, 100), image_alt="Logo")
    assert _errors(project) == {"image": ["L'immagine ha troppi pixel (100×100); il massimo è 1000 pixel."]}


def test_it_refuses_a_file_that_is_not_an_image():
    fake = SimpleUploadedFile("cover.png", b"<script>alert(1)</script>", content_type="image/png")
    project = ProjectFactory.build(image=fake, image_alt="Logo")
    assert _errors(project) == {"image": ["Il file non è un'immagine valida."]}


def test_it_refuses_an_implausible_meeting_year():
    meeting = MeetingFactory.build(lab=LabFactory(), venue=None, format=Meeting.Format.ONLINE)
    meeting.starts_at = meeting.starts_at.replace(year=1999)
    meeting.ends_at = None
    assert _errors(meeting) == {"starts_at": ["Indica una data tra il 2000 e il 2100."]}
