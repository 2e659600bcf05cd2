"""The lab texts staff translate into English (objectives, participants, outputs, contact notes, agenda, access notes):
shown on /en/ pages and in the English programme PDF, falling back to Italian when empty, never shown on Italian pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.documents.helpers import pdf_text
from tests.factories import LabFactory, MeetingFactory, VenueFactory

pytestmark = pytest.mark.django_db

ITALIAN = [
    "Conoscere le esigenze dei Comuni",
    "Diffondere le buone prassi",
    "Funzionari comunali",
    "Un e-book finale",
    "Scrivere alla segreteria del laboratorio.",
    "Ingresso dal cortile.",
    "Tavolo tecnico sul quadro normativo.",
]
ENGLISH = [
    "Understand the needs of municipalities",
    "Spread good practice",
    "Municipal officers",
    "A final e-book",
    "Write to the lab secretariat.",
    "Entrance from the courtyard.",
    "Technical table on the regulatory framework.",
]


def _lab(*, english: bool):
    """A lab whose six texts are in Italian, with their English versions when ``english``."""
    en = dict.fromkeys(
        ("objectives", "participant_categories", "expected_outputs", "contact_notes", "access_notes", "agenda"), ""
    )
    if english:
        en = {
            "objectives": "Understand the needs of municipalities\nSpread good practice",
            "participant_categories": "Municipal officers",
            "expected_outputs": "A final e-book",
            "contact_notes": "Write to the lab secretariat.",
            "access_notes": "Entrance from the courtyard.",
            "agenda": "Technical table on the regulatory framework.",
        }
    venue = VenueFactory(access_notes="Ingresso dal cortile.", access_notes_en=en["access_notes"])
    lab = LabFactory(
        title="Beni culturali",
        objectives="Conoscere le esigenze dei Comuni\nDiffondere le buone prassi",
        objectives_en=en["objectives"],
        participant_categories="Funzionari comunali",
        participant_categories_en=en["participant_categories"],
        expected_outputs="Un e-book finale",
        expected_outputs_en=en["expected_outputs"],
        contact_notes="Scrivere alla segreteria del laboratorio.",
        contact_notes_en=en["contact_notes"],
    )
    meeting = MeetingFactory(
        lab=lab, venue=venue, agenda="Tavolo tecnico sul quadro normativo.", agenda_en=en["agenda"]
    )
    return lab, meeting


def _pages(client, lab, meeting, prefix: str = "") -> str:
    # Both paths first: a request to /en/ leaves English active in this thread, and reverse() would add the prefix.
    urls = [prefix + lab.get_absolute_url(), prefix + meeting.get_absolute_url()]
    responses = [client.get(url) for url in urls]
    assert [r.status_code for r in responses] == [200, 200]
    return "".join(r.content.decode() for r in responses)


def _expected_html(texts: list[str]) -> list[str]:
    objective_1, objective_2, category, output, contact, access, agenda = texts
    return [
        f"<ul><li>{objective_1}</li><li>{objective_2}</li></ul>",
        f"<ul><li>{category}</li></ul>",
        f"<ul><li>{output}</li></ul>",
        f"<p>{contact}</p>",
        f'<p class="mb-0">{access}</p>',
        f"<p>{agenda}</p>",
    ]


def test_the_english_pages_show_the_english_texts(client):
    lab, meeting = _lab(english=True)
    html = _pages(client, lab, meeting, prefix="/en")
    for fragment in _expected_html(ENGLISH):
        assert fragment in html
    for text in ITALIAN:
        assert text not in html


def test_the_italian_pages_never_show_the_english_texts(client):
    lab, meeting = _lab(english=True)
    html = _pages(client, lab, meeting)
    for fragment in _expected_html(ITALIAN):
        assert fragment in html
    for text in ENGLISH:
        assert text not in html


def test_an_empty_english_text_falls_back_to_italian(client):
    lab, meeting = _lab(english=False)
    html = _pages(client, lab, meeting, prefix="/en")
    for text in ITALIAN:
        assert text in html
    # The fallback is marked as Italian (WCAG 3.1.2), on the list and on the wrapper of the agenda's paragraphs.
    assert '<ul lang="it"><li>Conoscere le esigenze dei Comuni</li><li>Diffondere le buone prassi</li></ul>' in html
    assert '<div lang="it"><p>Tavolo tecnico sul quadro normativo.</p></div>' in html


def test_each_field_falls_back_on_its_own():
    lab, meeting = _lab(english=False)
    lab.objectives_en = "Understand the needs of municipalities"
    meeting.agenda_en = "Technical table on the regulatory framework."
    with translation.override("en"):
        assert lab.objective_list == ["Understand the needs of municipalities"]
        assert lab.participant_list == ["Funzionari comunali"]
        assert lab.output_list == ["Un e-book finale"]
        assert lab.display_contact_notes == "Scrivere alla segreteria del laboratorio."
        assert meeting.display_agenda == "Technical table on the regulatory framework."
        assert meeting.venue.display_access_notes == "Ingresso dal cortile."
    with translation.override("it"):
        assert lab.objective_list == ["Conoscere le esigenze dei Comuni", "Diffondere le buone prassi"]
        assert meeting.display_agenda == "Tavolo tecnico sul quadro normativo."


def test_the_english_programme_pdf_shows_the_english_texts(client):
    lab, _meeting = _lab(english=True)
    response = client.get("/en" + reverse("pdf:lab_programme", kwargs={"slug": lab.slug}))
    text = pdf_text(response.content)
    # The programme prints objectives, participants, agenda, access and contact notes (not the expected outputs).
    for phrase in ("Understand the needs of municipalities", "Municipal officers", "Entrance from the courtyard."):
        assert phrase in text
    assert "Technical table on the regulatory framework." in text
    assert "Write to the lab secretariat." in text
    for phrase in (
        "Conoscere le esigenze",
        "Funzionari comunali",
        "Tavolo tecnico",
        "Ingresso dal cortile",
        "segreteria",
    ):
        assert phrase not in text


def test_the_italian_programme_pdf_keeps_the_italian_texts(client):
    lab, _meeting = _lab(english=True)
    text = pdf_text(client.get(reverse("pdf:lab_programme", kwargs={"slug": lab.slug})).content)
    for phrase in ("Conoscere le esigenze dei Comuni", "Funzionari comunali", "Tavolo tecnico sul quadro normativo."):
        assert phrase in text
    assert "Ingresso dal cortile." in text and "Scrivere alla segreteria del laboratorio." in text
    for phrase in ("Understand the needs", "Municipal officers", "Technical table", "courtyard", "secretariat"):
        assert phrase not in text


def test_a_meeting_calendar_file_carries_the_agenda_in_the_visitors_language(client):
    meeting = MeetingFactory(agenda="Presentazione dei casi", agenda_en="Case presentations")
    italian = client.get(reverse("labs:meeting_ics", args=[meeting.pk])).content.decode()
    english = client.get(f"/en/incontri/{meeting.pk}/calendario.ics").content.decode()
    assert "Presentazione dei casi" in italian and "Case presentations" not in italian
    assert "Case presentations" in english
