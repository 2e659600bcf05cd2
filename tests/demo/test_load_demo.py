"""load_demo: the real content, and a second run changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import translation

from labs.models import Lab, Meeting, Venue
from projects.models import Project, Service
from publications.models import Article, Publication

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "labs": Lab.objects.count(),
        "meetings": Meeting.objects.count(),
        "projects": Project.objects.count(),
        "services": Service.objects.count(),
        "publications": Publication.objects.count(),
        "articles": Article.objects.count(),
    }


def test_it_loads_the_real_content_and_is_idempotent():
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    stamps = sorted(Project.objects.values_list("updated_at", flat=True))
    out = StringIO()
    call_command("load_demo", stdout=out)

    assert _counts() == first
    assert sorted(Project.objects.values_list("updated_at", flat=True)) == stamps
    assert "nothing changed" in out.getvalue()
    assert first["labs"] >= 4
    assert first["meetings"] >= 19
    assert first["projects"] >= 50
    assert first["services"] >= 12
    assert first["publications"] >= 12
    assert first["articles"] >= 1


def test_it_has_the_lab_impact_meeting_of_3_november_2020():
    call_command("load_demo", stdout=StringIO())
    rome = ZoneInfo("Europe/Rome")
    meeting = Meeting.objects.get(starts_at=datetime.datetime(2020, 11, 3, 9, 30, tzinfo=rome))
    assert meeting.lab.slug == "lab-impact-coprogrammazione-welfare"
    assert meeting.ends_at == datetime.datetime(2020, 11, 3, 13, 30, tzinfo=rome)
    assert meeting.lab.project.slug == "lab-impact"
    assert meeting.format == Meeting.Format.ONLINE


def test_it_marks_invented_dates_as_samples_and_keeps_undefined_dates_empty():
    call_command("load_demo", stdout=StringIO())
    beni_culturali = Meeting.objects.filter(lab__slug="valorizzazione-beni-culturali", starts_at__isnull=False)
    assert beni_culturali.exists()
    assert set(beni_culturali.values_list("is_sample", flat=True)) == {True}
    final = Meeting.objects.get(lab__slug="lab-impact-valutazione-welfare", kind=Meeting.Kind.FINAL_CONFERENCE)
    assert (final.starts_at, final.ends_at) == (None, None)


def test_it_maps_catalogue_sections_to_statuses_and_keeps_uncertain_budgets_empty():
    call_command("load_demo", stdout=StringIO())
    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses == {"ongoing", "planned", "completed"}
    lab_impact = Project.objects.get(slug="lab-impact")
    assert lab_impact.status == Project.Status.COMPLETED
    assert lab_impact.programme.name == "FAMI"
    # The identifiers the leaflet prints ("PROGETTO PROG. 2463 – CUP: E89F18000510007") are fields, not prose.
    assert (lab_impact.cup, lab_impact.project_code) == ("E89F18000510007", "PROG-2463")
    # The catalogue prints "739.660.00 €": only the separators slipped (two-digit decimal group), so it is certain;
    # the printed text stays in the staff-only note.
    assert lab_impact.budget == Decimal("739660.00")
    assert lab_impact.budget_note == ""
    assert lab_impact.budget_internal_note.startswith('Importo stampato nel catalogo come "739.660.00 €"')
    # "€ 00,000,008" could be anything: no figure, a neutral public note, the doubt for staff.
    europa = Project.objects.get(slug="europa-lombardia-enti-locali-21-27")
    assert (europa.budget, europa.budget_note) == (None, "importo in verifica")
    assert "da verificare" in europa.budget_internal_note
    assert Project.objects.filter(budget__gt=Decimal("0")).count() >= 20


def test_it_loads_the_english_texts_of_labs_meetings_and_venues():
    call_command("load_demo", stdout=StringIO())
    lab = Lab.objects.get(slug="lab-impact-coprogrammazione-welfare")
    assert (
        lab.objectives_en.splitlines()[0] == "Contribute to developing the local networks that build community welfare"
    )
    assert lab.participant_categories_en.splitlines()[2] == "Experts and facilitators"
    assert lab.expected_outputs_en.splitlines()[0] == "Two e-books on the content of the labs (AnciLab Editore)"
    assert lab.contact_notes_en.startswith("The material produced and the video recordings")
    assert lab.benefit_list[3] == "Possibilità di confronto aperto"
    translation.activate("en")
    try:
        assert lab.benefit_list[3] == "An open exchange of views"
    finally:
        translation.activate("it")
    meeting = lab.meetings.get(order=3)
    assert meeting.agenda_en == "From theory to practice: experiences of developing community welfare together."
    assert Venue.objects.get(slug="casa-dei-comuni").access_notes_en == "Home of ANCI Lombardia and AnciLab."
    # Every Italian text of the demo has its English version, line for line.
    for lab in Lab.objects.all():
        for field in ("objectives", "participant_categories", "expected_outputs"):
            assert len(getattr(lab, f"{field}_en").splitlines()) == len(getattr(lab, field).splitlines()), field
        assert bool(lab.contact_notes_en) == bool(lab.contact_notes)
    assert not Meeting.objects.exclude(agenda="").filter(agenda_en="").exists()
    assert not Venue.objects.exclude(access_notes="").filter(access_notes_en="").exists()


def test_it_deletes_the_retired_publications_once():
    """E-books once shipped with invented titles are listed as retired: an older install loses them, once."""
    call_command("load_demo", stdout=StringIO())
    Publication.objects.create(slug="ebook-beni-culturali", title="E-book del Laboratorio", kind="ebook")
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert not Publication.objects.filter(slug="ebook-beni-culturali").exists()
    assert "publications.Publication deleted: 1" in out.getvalue()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "nothing changed" in again.getvalue()
