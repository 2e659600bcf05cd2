"""Privacy, legal and accessibility pages, sitemap.xml, robots.txt, RSS feeds, 404 and 500."""

from __future__ import annotations

import datetime
import email.utils
import re
import zoneinfo

import pytest
from django.template import Context, loader
from django.urls import reverse
from django.utils import translation

from tests.factories import ArticleFactory, LabFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _italian():
    """A request to /en/ leaves English active in the test thread; reverse() in the next test must be Italian."""
    translation.activate("it")
    yield
    translation.activate("it")


def test_privacy_notice_states_basis_data_retention_rights(client, settings):
    settings.REGISTRATION_RETENTION_MONTHS = 18
    html = client.get(reverse("privacy")).content.decode()
    assert "<h1>Informativa privacy</h1>" in html
    assert "non serve il tuo consenso" in html
    assert "nome, cognome, indirizzo email, ente di appartenenza" in html
    assert "Conserviamo i dati dell&#x27;iscrizione per 18 mesi dopo la data dell&#x27;incontro" in html or (
        "Conserviamo i dati dell'iscrizione per 18 mesi dopo la data dell'incontro" in html
    )
    assert "Garante per la protezione dei dati personali" in html
    assert 'aria-current="page">Informativa privacy</li>' in html


def test_legal_notes_licence(client):
    html = client.get(reverse("legal")).content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/deed.it"' in html
    assert "(CC BY 4.0)" in html


def test_accessibility_page_links_the_agid_statement(client, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = "https://form.agid.gov.it/view/abc"
    html = client.get(reverse("accessibility")).content.decode()
    assert html.count('href="https://form.agid.gov.it/view/abc"') == 2  # the page's button and the footer link


def test_footer_and_header_links(client):
    html = client.get(reverse("home")).content.decode()
    assert '<a href="/privacy/">Informativa privacy</a>' in html
    assert '<a href="/note-legali/">Note legali</a>' in html
    assert '<a href="/mappa-del-sito/">Mappa del sito</a>' in html
    assert 'href="/account/login/"' in html and ">Accedi</a>" in html
    assert 'class="visually-hidden-focusable" href="#main-content">Vai al contenuto principale</a>' in html


def test_language_switch_keeps_the_page(client):
    lab = LabFactory(slug="beni")
    html = client.get(lab.get_absolute_url() + "?x=1").content.decode()
    assert 'href="/en/laboratori/beni/?x=1" hreflang="en" lang="en"' in html
    html_en = client.get("/en/laboratori/beni/").content.decode()
    assert '<html lang="en">' in html_en
    assert 'href="/laboratori/beni/" hreflang="it" lang="it"' in html_en


def test_sitemap_lists_labs_and_meetings_in_both_languages(client, settings):
    settings.SITE_URL = "http://testserver"  # absolute URLs come from SITE_URL, never the Host
    lab = LabFactory(slug="beni")
    meeting = MeetingFactory(lab=lab)
    LabFactory(slug="nascosto", published=False)
    xml = client.get(reverse("sitemap")).content.decode()
    assert "<loc>http://testserver/laboratori/beni/</loc>" in xml
    assert "<loc>http://testserver/en/laboratori/beni/</loc>" in xml
    assert f"<loc>http://testserver/incontri/{meeting.pk}/</loc>" in xml
    assert "<loc>http://testserver/privacy/</loc>" in xml
    assert "nascosto" not in xml


def test_robots_txt(client, settings):
    settings.SITE_URL = "https://laboratori.example.it"
    response = client.get(reverse("robots"), headers={"host": "localhost"})
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /account/",
        "Disallow: /iscrizioni/",
        "Disallow: /en/admin/",
        "Disallow: /en/account/",
        "Disallow: /en/iscrizioni/",
        "Sitemap: https://laboratori.example.it/sitemap.xml",
    ]


def test_robots_txt_and_sitemap_exist_once_at_the_root(client):
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    for url in ("/en/robots.txt", "/en/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "text/html; charset=utf-8"


def test_sitemap_page_for_people_lists_sections_labs_services_publications(client):
    from tests.factories import PublicationFactory, ServiceFactory

    LabFactory(title="Beni culturali", slug="beni", edition_year=2024)
    LabFactory(title="Nascosto", slug="nascosto", published=False)
    ServiceFactory(title="Supporto PNRR", slug="pnrr")
    PublicationFactory(title="Guida al riuso", slug="guida", year=2023)
    html = client.get(reverse("site_map")).content.decode()
    assert "<h1>Mappa del sito</h1>" in html
    assert '<li><a href="/progetti/">Progetti</a></li>' in html
    assert '<li><a href="/laboratori/beni/">Beni culturali</a> (2024)</li>' in html
    assert '<li><a href="/servizi/pnrr/">Supporto PNRR</a></li>' in html
    assert '<li><a href="/pubblicazioni/guida/">Guida al riuso</a> (2023)</li>' in html
    assert "nascosto" not in html.lower()
    html_en = client.get("/en/mappa-del-sito/").content.decode()
    assert '<li><a href="/en/laboratori/beni/" lang="it">Beni culturali</a> (2024)</li>' in html_en


def test_feeds(client):
    LabFactory(title="Beni culturali", slug="beni", edition_year=2026)
    ArticleFactory(title="Una notizia", date=datetime.date(2025, 11, 25))
    ArticleFactory(title="Futura", date=datetime.date(2100, 1, 1))
    labs = client.get(reverse("labs:feed")).content.decode()
    assert "<title>Beni culturali (2026)</title>" in labs
    assert "<link>http://testserver/laboratori/beni/</link>" in labs
    news = client.get(reverse("publications:feed")).content.decode()
    assert "<title>Una notizia</title>" in news and "Futura" not in news


def test_404_is_designed(client, settings):
    settings.DEBUG = False
    response = client.get("/non-esiste/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Pagina non trovata</h1>" in html
    assert "Vai al contenuto principale" in html


def test_500_shows_the_configured_contact_address(client, settings, monkeypatch):
    from projects import views as project_views

    def broken(request):
        raise ValueError("a bug")

    settings.CONTACT_EMAIL = "supporto@comune.example.it"
    monkeypatch.setattr(project_views, "_catalogue_filter", broken)
    client.raise_request_exception = False
    response = client.get("/progetti/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<a href="mailto:supporto@comune.example.it">supporto@comune.example.it</a>' in html
    assert "laboratori@ancilab.it" not in html


def test_500_renders_without_context():
    html = loader.get_template("500.html").render({})
    assert "<h1>Si è verificato un errore</h1>" in html
    assert Context  # the template needs no request and no context processor


def test_labs_feed_dates_a_lab_by_when_it_became_public_and_titles_carry_the_edition(client):
    """A lab loaded today for an edition held in 2020 is dated by its first meeting, not by the import; a lab entered
    before its meetings is dated when it was entered; two editions with one name are told apart by the year."""
    rome = zoneinfo.ZoneInfo("Europe/Rome")
    old = LabFactory(title="Beni culturali", slug="beni-2020", edition_year=2020)
    MeetingFactory(lab=old, starts_at=datetime.datetime(2020, 3, 5, 9, 30, tzinfo=rome))
    MeetingFactory(lab=old, starts_at=datetime.datetime(2020, 4, 5, 9, 30, tzinfo=rome))
    new = LabFactory(title="Beni culturali", slug="beni-2030", edition_year=2030)
    MeetingFactory(lab=new, starts_at=datetime.datetime(2030, 3, 5, 9, 30, tzinfo=rome))
    LabFactory(title="Laboratorio 2031", slug="lab-2031", edition_year=2031)
    xml = client.get(reverse("labs:feed")).content.decode()
    titles = re.findall(r"<item><title>(.*?)</title>", xml)
    dates = re.findall(r"<pubDate>(.*?)</pubDate>", xml)
    assert titles == ["Laboratorio 2031", "Beni culturali (2030)", "Beni culturali (2020)"]
    created = email.utils.format_datetime(new.created_at.astimezone(rome))
    assert dates[1] == created  # entered before its first meeting: the day it was entered
    assert dates[2] == "Thu, 05 Mar 2020 09:30:00 +0100"  # loaded years later: its first meeting


def test_the_footer_is_kept_per_language(client):
    """base.html keeps the footer in the process (one copy per language): each language still gets its own."""
    italian = client.get("/chi-siamo/").content.decode()
    english = client.get("/en/chi-siamo/").content.decode()
    again = client.get("/note-legali/").content.decode()
    assert '<h2 class="h5 text-white">Contatti</h2>' in italian
    assert '<h2 class="h5 text-white">Contacts</h2>' in english and "Contatti</h2>" not in english
    footer = italian[italian.index('<footer class="it-footer"') : italian.index("</footer>")]
    assert footer in again


def test_the_navbar_marks_the_section_of_each_page(client):
    """base.html keeps the navbar per language and section: each section still gets its own highlighted link."""
    projects = client.get("/progetti/").content.decode()
    labs = client.get("/laboratori/").content.decode()
    home = client.get("/").content.decode()
    english = client.get("/en/progetti/").content.decode()
    assert 'href="/progetti/" aria-current="page"><span>Progetti</span>' in projects
    assert 'href="/laboratori/" aria-current="page"><span>Laboratori</span>' in labs
    assert 'aria-current="page"><span>Progetti</span>' not in labs
    assert 'aria-current="page"><span>' not in home
    assert 'href="/en/progetti/" aria-current="page"><span>Projects</span>' in english
