"""/laboratori/<slug>/programma.pdf: the public programme of a lab."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import documents
from documents.rendering import RENDERS
from labs.models import Lab, Meeting
from tests.factories import LabFactory, MeetingFactory, VenueFactory

from .helpers import first_page_png, link_uris, page_texts, pdf_text, reader

pytestmark = pytest.mark.django_db

LAB_IMPACT = "lab-impact-coprogrammazione-welfare"


def _get(client, slug):
    response = client.get(reverse("pdf:lab_programme", kwargs={"slug": slug}))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_it_prints_the_lab_impact_programme(client, demo):
    pdf = _get(client, LAB_IMPACT)
    text = pdf_text(pdf)
    pages = page_texts(pdf)
    # Three pages since the programme prints the leaflet's six participant benefits and the EU funding statement.
    assert len(pages) == 3
    assert "Pagina 1 di 3" in pages[0]
    assert "Pagina 3 di 3" in pages[2]
    assert "Vantaggi per chi partecipa" in text and "Cofinanziato dall'Unione europea" in text
    assert "Le reti locali e i cicli di coprogrammazione e\ncoprogettazione del welfare di comunità" in text
    assert "Laboratori Lab'Impact — Le reti locali e lo sviluppo del welfare di comunità" in text
    assert "Obiettivi" in text and "Chi partecipa" in text and "Contatti" in text
    assert "Esperti e facilitatori" in text
    # Every meeting, numbered, with its date, time and format; all five are online.
    for number, title in enumerate(
        Lab.objects.get(slug=LAB_IMPACT).meetings.order_by("order").values_list("title", flat=True), start=1
    ):
        assert f"{number}. {title[:40]}" in text
    assert text.count("2020, 9:30–13:30") == 4
    assert text.count("Online\n") == 5
    assert "labimpact@anci.lombardia.it" in text
    registration_url = "http://127.0.0.1:8000/laboratori/lab-impact-coprogrammazione-welfare/"
    assert registration_url in text
    assert registration_url in link_uris(pdf)


def test_dates_are_written_the_italian_way(client, demo):
    text = pdf_text(_get(client, LAB_IMPACT))
    assert "3 novembre 2020, 9:30–13:30" in text
    assert "28 gennaio 2021, 9:30–13:30" in text


def test_metadata_title_author_language_and_tags(client, demo):
    pdf = _get(client, LAB_IMPACT)
    info = reader(pdf)
    assert info.metadata.title == (
        "Programma – Le reti locali e i cicli di coprogrammazione e coprogettazione del welfare di comunità"
    )
    assert info.metadata.author == "ANCI Lombardia – AnciLab"
    root = info.trailer["/Root"]
    assert root["/Lang"] == "it"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert "<rdf:li>ANCI Lombardia – AnciLab</rdf:li>" in xmp


def test_english_programme_uses_the_translations(client, demo):
    response = client.get("/en" + reverse("pdf:lab_programme", kwargs={"slug": LAB_IMPACT}))
    assert response.status_code == 200
    info = reader(response.content)
    assert info.trailer["/Root"]["/Lang"] == "en"
    assert "Local networks and the co-planning and co-design cycles of community welfare" in pdf_text(response.content)


def test_the_online_link_never_appears(client):
    lab = LabFactory(title="Laboratorio ibrido", contact_email="lab@example.it")
    venue = VenueFactory()
    secret = "https://meet.example.org/segreto-123"
    MeetingFactory(lab=lab, format=Meeting.Format.ONLINE, venue=None, online_url=secret, title="Solo online")
    MeetingFactory(lab=lab, format=Meeting.Format.HYBRID, venue=venue, online_url=secret, title="Ibrido")
    pdf = _get(client, lab.slug)
    text = pdf_text(pdf)
    assert "Solo online" in text and "Ibrido" in text
    assert "In presenza e online · La Casa dei Comuni, Via Rovello 2, Milano" in text
    assert "meet.example.org" not in text
    assert not [uri for uri in link_uris(pdf) if "meet.example.org" in uri]
    assert b"segreto-123" not in pdf


def test_an_undated_meeting_reads_data_da_definire(client):
    lab = LabFactory()
    MeetingFactory(lab=lab, starts_at=None, ends_at=None, venue=None, title="Restituzione finale")
    text = pdf_text(_get(client, lab.slug))
    assert "Restituzione finale" in text
    assert "data da definire" in text


def test_an_unpublished_lab_has_no_programme(client):
    lab = LabFactory(published=False)
    response = client.get(reverse("pdf:lab_programme", kwargs={"slug": lab.slug}))
    assert response.status_code == 404


def test_a_second_download_is_served_from_the_cache(client, django_assert_num_queries):
    lab = LabFactory()
    MeetingFactory.create_batch(3, lab=lab)
    before = RENDERS.count
    first = _get(client, lab.slug)
    assert RENDERS.count == before + 1
    # A cached download: the lab, the key's aggregate over its meetings — and no rendering.
    with django_assert_num_queries(2):
        second = _get(client, lab.slug)
    assert second == first
    assert RENDERS.count == before + 1


def test_a_changed_meeting_renders_a_new_programme(client):
    lab = LabFactory()
    meeting = MeetingFactory(lab=lab, title="Prima versione")
    key = documents.lab_programme_key(lab)
    assert "Prima versione" in pdf_text(_get(client, lab.slug))
    meeting.title = "Seconda versione"
    meeting.updated_at = timezone.now() + datetime.timedelta(seconds=1)
    meeting.save()
    assert documents.lab_programme_key(lab) != key
    assert "Seconda versione" in pdf_text(_get(client, lab.slug))


def test_page_one_as_png(client, demo, tmp_path):
    png = first_page_png(_get(client, LAB_IMPACT), tmp_path, "programma")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_venue_edit_renders_a_new_programme(client):
    # Venues have no timestamp: the key follows the content version, which every venue save moves.
    lab = LabFactory()
    meeting = MeetingFactory(lab=lab)
    key = documents.lab_programme_key(lab)
    meeting.venue.access_notes = "Ingresso dal cortile"
    meeting.venue.save()
    assert documents.lab_programme_key(lab) != key
