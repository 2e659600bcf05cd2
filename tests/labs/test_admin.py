"""Labs admin: every English text sits right after its Italian field on the forms staff edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import LabFactory, MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _after(fields: list[str], name: str) -> str:
    return fields[fields.index(name) + 1]


def test_the_lab_form_puts_each_english_text_after_its_italian_one(admin_client):
    lab = LabFactory()
    response = admin_client.get(reverse("admin:labs_lab_change", args=[lab.pk]))
    fields = list(response.context["adminform"].form.fields)
    for name in ("title", "subtitle", "description", "objectives", "participant_categories", "contact_notes"):
        assert _after(fields, name) == f"{name}_en"
    assert _after(fields, "expected_outputs") == "expected_outputs_en"


def test_the_meeting_inline_pairs_agenda_with_its_english_version(admin_client):
    lab = MeetingFactory().lab
    response = admin_client.get(reverse("admin:labs_lab_change", args=[lab.pk]))
    inline = response.context["inline_admin_formsets"][0]
    assert ("agenda", "agenda_en") in inline.opts.fields
    assert 'name="meetings-0-agenda_en"' in response.content.decode()


def test_the_meeting_form_puts_agenda_en_after_agenda(admin_client):
    meeting = MeetingFactory(agenda_en="Technical table.")
    response = admin_client.get(reverse("admin:labs_meeting_change", args=[meeting.pk]))
    fields = list(response.context["adminform"].form.fields)
    assert _after(fields, "agenda") == "agenda_en"
    assert "Technical table.</textarea>" in response.content.decode()


def test_the_venue_form_puts_access_notes_en_after_access_notes(admin_client):
    venue = VenueFactory()
    response = admin_client.get(reverse("admin:labs_venue_change", args=[venue.pk]))
    fields = list(response.context["adminform"].form.fields)
    assert _after(fields, "access_notes") == "access_notes_en"
