"""Public lab pages: exact filter results, Italian dates and times, seats, no online link, flat query counts."""

from __future__ import annotations

import datetime
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from labs.models import Lab, LabContact, Meeting
from registrations.models import Registration
from tests.factories import AreaFactory, LabFactory, MeetingFactory, PublicationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")
SECRET = "https://meet.example.org/segreto-123"


def _future(days: int, hour: int = 9, minute: int = 30) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ROME)


def _titles(response) -> list[str]:
    return [lab.title for lab in response.context["labs"]]


@pytest.fixture
def catalogue():
    """Three labs: open (2026, area A), past (2025, area B), future but not yet open (2026, area B)."""
    area_a = AreaFactory(name="Welfare", slug="welfare")
    area_b = AreaFactory(name="Cultura", slug="cultura")
    open_lab = LabFactory(title="Aperto", slug="aperto", edition_year=2026)
    open_lab.areas.set([area_a])
    MeetingFactory(lab=open_lab, starts_at=_future(10))
    past_lab = LabFactory(title="Passato", slug="passato", edition_year=2025)
    past_lab.areas.set([area_b])
    MeetingFactory(lab=past_lab, starts_at=_future(-100))
    closed_lab = LabFactory(title="Non ancora aperto", slug="futuro", edition_year=2026)
    closed_lab.areas.set([area_b])
    MeetingFactory(
        lab=closed_lab, starts_at=_future(60), registration_opens_at=timezone.now() + datetime.timedelta(days=5)
    )
    LabFactory(title="Nascosto", slug="nascosto", edition_year=2026, published=False)
    return {"open": open_lab, "past": past_lab, "closed": closed_lab}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Aperto", "Non ancora aperto", "Passato"]),
        ("?area=welfare", ["Aperto"]),
        ("?area=cultura", ["Non ancora aperto", "Passato"]),
        ("?anno=2025", ["Passato"]),
        ("?anno=2026&area=cultura", ["Non ancora aperto"]),
        ("?stato=aperti", ["Aperto"]),
        ("?stato=conclusi", ["Passato"]),
        ("?stato=conclusi&anno=2026", []),
        ("?area=inesistente", ["Aperto", "Non ancora aperto", "Passato"]),
    ],
)
def test_lab_list_filters_return_exact_labs(client, catalogue, query, expected):
    response = client.get(reverse("labs:list") + query)
    assert response.status_code == 200
    assert _titles(response) == expected


def test_lab_list_invalid_filter_shows_a_message_not_an_error(client, catalogue):
    response = client.get(reverse("labs:list") + "?anno=duemila")
    assert "Alcuni filtri non sono validi e sono stati ignorati." in response.content.decode()
    assert len(response.context["labs"]) == 3


def test_lab_list_shows_italian_date_and_open_badge(client):
    lab = LabFactory(title="Welfare di comunità")
    MeetingFactory(lab=lab, starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME))
    html = client.get(reverse("labs:list")).content.decode()
    assert '<time datetime="2030-11-03T09:30:00+01:00">3 novembre 2030</time>' in html
    assert "Iscrizioni aperte" in html


def test_lab_list_keeps_filters_in_pagination_links(client):
    area = AreaFactory(slug="welfare")
    for n in range(14):
        LabFactory(slug=f"lab-{n}", edition_year=2026).areas.set([area])
    html = client.get(reverse("labs:list") + "?area=welfare").content.decode()
    assert 'href="?area=welfare&amp;page=2"' in html
    assert 'aria-current="page"' in html


def test_lab_detail_follows_the_event_page_model(client):
    lab = LabFactory(
        title="Beni culturali",
        participant_categories="Sindaci\nFunzionari comunali",
        contact_email="beni@ancilab.it",
    )
    meeting = MeetingFactory(
        lab=lab,
        title="Primo incontro",
        starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME),
        ends_at=datetime.datetime(2030, 11, 3, 13, 30, tzinfo=ROME),
        capacity=10,
        format=Meeting.Format.HYBRID,
    )
    RegistrationFactory.create_batch(3, meeting=meeting)
    RegistrationFactory(meeting=meeting, status=Registration.Status.CANCELLED)
    PublicationFactory(title="L'e-book del laboratorio").labs.add(lab)
    html = client.get(lab.get_absolute_url()).content.decode()
    for heading in ("Cos'è", "A chi è rivolto", "Luogo", "Date e orari", "Allegati", "Appuntamenti"):
        assert f">{heading}</h2>" in html
    assert "Contatti</h2>" in html and "Ultimo aggiornamento</h2>" in html
    assert 'aria-label="Indice della pagina"' in html
    assert '<time datetime="2030-11-03T09:30:00+01:00">3 novembre 2030</time>, 9:30–13:30' in html
    assert "7 posti disponibili" in html
    # No model field holds a cost and no source states one: the page says nothing about it.
    assert "Costi" not in html and "gratuit" not in html
    assert "L&#x27;e-book del laboratorio" in html
    assert "Sindaci" in html and "beni@ancilab.it" in html
    assert SECRET not in html and "segreto" not in html


def test_lab_detail_json_ld_event_per_dated_meeting(client):
    lab = LabFactory(title="Beni culturali")
    MeetingFactory(lab=lab, title="Primo", starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME))
    MeetingFactory(lab=lab, title="Da fissare", starts_at=None, ends_at=None, venue=None)
    html = client.get(lab.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    event = json.loads(blocks[0])
    assert event["@type"] == "Event"
    assert event["name"] == "Beni culturali: Primo"
    assert event["startDate"] == "2030-11-03T09:30:00+01:00"  # Rome time, as the page shows it
    assert event["location"]["name"] == "La Casa dei Comuni"
    assert event["isAccessibleForFree"] is True
    assert SECRET not in html


def test_lab_detail_of_unpublished_lab_is_404(client):
    lab = LabFactory(published=False)
    assert client.get(lab.get_absolute_url()).status_code == 404


def test_meeting_detail_never_shows_online_url(client):
    meeting = MeetingFactory(
        title="Incontro online",
        format=Meeting.Format.ONLINE,
        venue=None,
        starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME),
        ends_at=datetime.datetime(2030, 11, 3, 13, 30, tzinfo=ROME),
        capacity=5,
    )
    RegistrationFactory(meeting=meeting, status=Registration.Status.PENDING)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "segreto-123" not in html
    assert '<time datetime="2030-11-03T09:30:00+01:00">3 novembre 2030</time>' in html
    assert "9:30–13:30" in html
    assert "4 posti disponibili su 5" in html
    assert "Il link per partecipare online arriva via email a chi si iscrive." in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "dates=20301103T083000Z%2F20301103T123000Z" in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    assert reverse("labs:meeting_ics", args=[meeting.pk]) in html


def test_meeting_of_unpublished_lab_is_404(client):
    meeting = MeetingFactory(lab=LabFactory(published=False))
    assert client.get(meeting.get_absolute_url()).status_code == 404


# --- query counts: pinned, and flat in the number of items ------------------------------------------------------------


def _labs_with_meetings(count: int):
    area = AreaFactory(slug="welfare")
    for n in range(count):
        lab = LabFactory(slug=f"q-lab-{n}")
        lab.areas.set([area])
        MeetingFactory(lab=lab, starts_at=_future(5 + n))


@pytest.mark.parametrize("count", [3, 30])
def test_lab_list_query_count_is_flat(client, django_assert_num_queries, count):
    _labs_with_meetings(count)
    # areas of the filter, years, count, page of labs, their areas
    with django_assert_num_queries(5):
        response = client.get(reverse("labs:list"))
    assert response.context["paginator"].count == count


@pytest.mark.parametrize("count", [3, 30])
def test_lab_detail_query_count_is_flat(client, django_assert_num_queries, count):
    lab = LabFactory()
    lab.areas.set([AreaFactory()])
    for n in range(count):
        meeting = MeetingFactory(lab=lab, starts_at=_future(5 + n))
        RegistrationFactory(meeting=meeting)
    for _n in range(count):
        PublicationFactory().labs.add(lab)
        LabContact.objects.create(lab=lab, name=f"Referente {_n}")
    # lab (+project, its programme), areas, meetings with seats, publications, rubrica news, contacts
    with django_assert_num_queries(6):
        response = client.get(lab.get_absolute_url())
    assert len(response.context["meetings"]) == count


@pytest.mark.parametrize("count", [3, 30])
def test_meeting_detail_query_count_is_flat(client, django_assert_num_queries, count):
    lab = LabFactory()
    meetings = [MeetingFactory(lab=lab, starts_at=_future(5 + n)) for n in range(count)]
    RegistrationFactory.create_batch(count, meeting=meetings[0])
    # meeting (+lab, venue, seats), the lab's other meetings, its published materials
    with django_assert_num_queries(3):
        response = client.get(meetings[0].get_absolute_url())
    assert len(response.context["other_meetings"]) == count - 1


def test_lab_page_is_cached_until_a_registration_is_committed(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    lab = LabFactory()
    meeting = MeetingFactory(lab=lab, starts_at=_future(5), capacity=10)
    assert "10 posti disponibili" in client.get(lab.get_absolute_url()).content.decode()
    with django_assert_num_queries(0):
        client.get(lab.get_absolute_url())
    # Not committed yet: the page others see keeps the committed count.
    with django_capture_on_commit_callbacks(execute=False):
        registration = RegistrationFactory(meeting=meeting)
    assert "10 posti disponibili" in client.get(lab.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        registration.save()
    for url in (lab.get_absolute_url(), meeting.get_absolute_url(), reverse("home")):
        assert "9 posti disponibili" in client.get(url).content.decode(), url


def test_lab_page_follows_a_content_edit(client):
    lab = LabFactory(title="Prima")
    assert "Prima" in client.get(lab.get_absolute_url()).content.decode()
    lab.title = "Dopo"
    lab.save()
    assert "Dopo" in client.get(lab.get_absolute_url()).content.decode()


def test_invented_dates_carry_a_sample_badge(client):
    lab = LabFactory()
    sample = MeetingFactory(lab=lab, starts_at=_future(10), is_sample=True, title="Incontro inventato")
    MeetingFactory(lab=lab, starts_at=_future(20), title="Incontro annunciato")
    badge = '<span class="badge bg-secondary">data di esempio</span>'
    html = client.get(lab.get_absolute_url()).content.decode()
    # Beside the sample date in "Date e orari" and in "Appuntamenti"; the header's range says "date di esempio".
    assert html.count(badge) == 2
    assert html.count('<span class="badge bg-secondary">date di esempio</span>') == 1
    assert badge in client.get(sample.get_absolute_url()).content.decode()
    assert (
        '<span class="badge bg-secondary">sample date</span>'
        in client.get(f"/en/incontri/{sample.pk}/").content.decode()
    )


# --- Issue 12: past is past; whole-lab registration offered --------------------------------------------------------
def test_a_past_meeting_shows_it_took_place_and_no_seats_or_promise(client):
    lab = LabFactory()
    meeting = MeetingFactory(lab=lab, starts_at=_future(-30), capacity=40, format=Meeting.Format.HYBRID)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert '<span class="badge bg-secondary">Incontro concluso</span>' in html
    assert "Incontro concluso: si è svolto in questa data e le iscrizioni sono chiuse." in html
    assert "posti disponibili" not in html and "Posti" not in html
    assert "arriva via email a chi si iscrive" not in html
    assert reverse("registrations:register", args=[meeting.pk]) not in html
    # On the lab page too: concluded badge, no seats, no registration promise.
    html = client.get(lab.get_absolute_url()).content.decode()
    assert '<span class="badge bg-secondary">Concluso</span>' in html
    assert '<span class="badge bg-secondary">Incontro concluso</span>' in html
    assert "posti disponibili" not in html
    assert "il link arriva via email a chi si iscrive" not in html


def test_an_upcoming_meeting_still_shows_seats_and_the_promise(client):
    meeting = MeetingFactory(starts_at=_future(30), capacity=40, format=Meeting.Format.HYBRID)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "40 posti disponibili su 40" in html
    assert "Il link per partecipare online arriva via email a chi si iscrive." in html
    assert "Incontro concluso" not in html


def test_conclusi_finds_every_lab_whose_meetings_are_over_like_the_demo(client):
    """The demo's past labs have a final event with no date: the filter and the badge find them all (issue 12)."""
    over = []
    for n in range(3):
        lab = LabFactory(title=f"Edizione passata {n}", edition_year=2021)
        MeetingFactory(lab=lab, starts_at=datetime.datetime(2021, 10, 7 + n, 9, 30, tzinfo=ROME))
        MeetingFactory(lab=lab, starts_at=None, kind=Meeting.Kind.FINAL_CONFERENCE)
        over.append(lab.title)
    LabFactory(title="In corso", edition_year=2026)
    MeetingFactory(lab=Lab.objects.get(title="In corso"), starts_at=_future(10))
    response = client.get(reverse("labs:list") + "?stato=conclusi")
    assert sorted(_titles(response)) == over
    html = client.get(reverse("labs:list")).content.decode()
    assert html.count('<span class="badge bg-secondary">Concluso</span>') == 3


def test_whole_lab_registration_is_offered_when_more_than_one_meeting_is_open(client):
    lab = LabFactory()
    first = MeetingFactory(lab=lab, starts_at=_future(10))
    MeetingFactory(lab=lab, starts_at=_future(20))
    lab_url = reverse("registrations:register_lab", args=[lab.slug])
    for page in (lab.get_absolute_url(), first.get_absolute_url()):
        html = client.get(page).content.decode()
        assert f'<a class="btn btn-primary btn-sm" href="{lab_url}">Iscriviti a tutto il laboratorio' in html, page


def test_whole_lab_registration_is_not_offered_for_a_single_open_meeting(client):
    lab = LabFactory()
    only = MeetingFactory(lab=lab, starts_at=_future(10))
    MeetingFactory(lab=lab, starts_at=_future(-10))
    lab_url = reverse("registrations:register_lab", args=[lab.slug])
    for page in (lab.get_absolute_url(), only.get_absolute_url()):
        assert lab_url not in client.get(page).content.decode(), page
