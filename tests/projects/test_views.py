"""Pages of the catalogue: list and detail content, query counts flat in the number of rows, English URLs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from labs.models import Lab
from projects.models import FundingLine, Organization, ProjectLink
from tests.factories import (
    AreaFactory,
    FundingProgrammeFactory,
    LabFactory,
    OrganizationFactory,
    ProjectFactory,
    PublicationFactory,
)
from tests.projects.listing import listed_projects

pytestmark = pytest.mark.django_db


def _many_projects(count: int) -> None:
    areas = [AreaFactory(), AreaFactory()]
    programme = FundingProgrammeFactory()
    for _ in range(count):
        ProjectFactory(areas=areas, programme=programme)


@pytest.mark.parametrize("count", [3, 30])
def test_catalogue_query_count_is_flat(client, django_assert_num_queries, count):
    _many_projects(count)
    # Nothing cached: area choices, programme choices, the page's ids with the total (one query: COUNT(*) OVER ()),
    # the page's projects (programme joined), their areas.
    with django_assert_num_queries(5):
        response = client.get(reverse("projects:list"), {"stato": "ongoing", "ordina": "-budget"})
    assert response.status_code == 200
    assert len(listed_projects(response)) == min(count, 24)
    # A page not seen before listing the same projects: its cards and the choices come from the cache, so only the
    # ids with the total are queried.
    with django_assert_num_queries(1):
        response = client.get(reverse("projects:list"), {"stato": "ongoing", "ordina": "-budget", "utm_source": "x"})
    assert len(listed_projects(response)) == min(count, 24)
    # The same page again: served whole from the cache.
    with django_assert_num_queries(0):
        client.get(reverse("projects:list"), {"stato": "ongoing", "ordina": "-budget"})


@pytest.mark.parametrize("count", [3, 30])
def test_catalogue_query_count_with_area_and_year_filters(client, django_assert_num_queries, count):
    _many_projects(count)
    area = AreaFactory(slug="scelta")
    ProjectFactory(areas=[area])
    with django_assert_num_queries(5):
        response = client.get(reverse("projects:list"), {"area": "scelta", "anno": "2023", "q": "Progetto"})
    assert [p.areas.all()[0].slug for p in listed_projects(response)] == ["scelta"]


def test_page_numbers_past_the_end_or_mangled_land_on_a_real_page(client, django_assert_num_queries):
    _many_projects(30)  # 24 a page: two pages
    client.get(reverse("projects:list"))  # choices and the first page's cards cached
    # The ids with the total, then the six cards not cached yet (projects, areas).
    with django_assert_num_queries(3):
        second = client.get(reverse("projects:list"), {"page": "2"})
    assert (second.context["page_obj"].number, second.context["total"]) == (2, 30)
    assert len(listed_projects(second)) == 6
    # Past the end: no row (so no total), the count, then the last page's ids (its cards are cached now).
    with django_assert_num_queries(3):
        last = client.get(reverse("projects:list"), {"page": "9999"})
    assert last.context["page_obj"].number == 2
    assert [p.pk for p in listed_projects(last)] == [p.pk for p in listed_projects(second)]
    mangled = client.get(reverse("projects:list"), {"page": "abc"})
    assert (mangled.context["page_obj"].number, mangled.context["page_obj"].paginator.num_pages) == (1, 2)
    assert len(listed_projects(mangled)) == 24
    empty = client.get(reverse("projects:list"), {"q": "nessun progetto si chiama così"})
    assert (empty.context["total"], list(empty.context["page_obj"].object_list)) == (0, [])


def test_cached_cards_follow_content_edits(client):
    project = ProjectFactory(title="Titolo prima")
    assert "Titolo prima" in client.get(reverse("projects:list")).content.decode()
    project.title = "Titolo dopo"
    project.save()
    page = client.get(reverse("projects:list"), {"utm_source": "x"}).content.decode()
    assert "Titolo dopo" in page
    assert "Titolo prima" not in page


def test_cards_are_cached_per_language(client):
    ProjectFactory(title="Titolo", title_en="Title", slug="lingua")
    assert 'href="/progetti/lingua/"' in client.get(reverse("projects:list")).content.decode()
    english = client.get("/en/progetti/").content.decode()
    assert 'href="/en/progetti/lingua/"' in english
    assert ">Title</a>" in english


def test_catalogue_shows_italian_formats(client):
    ProjectFactory(
        slug="stogit",
        title="Compensazioni ambientali",
        budget=Decimal("8739950.00"),
        start_date=datetime.date(2020, 11, 3),
        start_precision="day",
        end_date=datetime.date(2021, 12, 1),
        end_precision="month",
    )
    html = client.get(reverse("projects:list")).content.decode()
    assert "8.739.950,00\xa0€" in html
    # Month case comes from the portal-wide date formats (PA style is lower case: "3 novembre 2020").
    assert '<time datetime="2020-11-03">3 novembre 2020</time>' in html.replace("Novembre", "novembre")
    assert '<time datetime="2021-12-01">dicembre 2021</time>' in html.replace("Dicembre", "dicembre")


def test_budget_note_replaces_a_missing_budget(client):
    ProjectFactory(budget=None, budget_note="in via di definizione")
    assert "in via di definizione" in client.get(reverse("projects:list")).content.decode()


def test_unpublished_project_is_neither_listed_nor_reachable(client):
    ProjectFactory(slug="segreto", published=False)
    assert client.get(reverse("projects:list")).context["total"] == 0
    assert client.get(reverse("projects:detail", args=["segreto"])).status_code == 404


@pytest.fixture
def full_project(db):
    lead = OrganizationFactory(name="ANCI Lombardia", website="https://www.anci.lombardia.it/")
    project = ProjectFactory(
        slug="stogit",
        title="Compensazioni ambientali",
        acronym="STOGIT",
        description="Opere di compensazione.\n\nUn protocollo con Regione Lombardia.",
        budget=Decimal("8739950.00"),
        start_date=datetime.date(2020, 11, 27),
        end_date=None,
        programme=FundingProgrammeFactory(name="PNRR", slug="pnrr", full_name="Piano nazionale di ripresa"),
        lead_organization=lead,
        areas=[AreaFactory(name="Ambiente", slug="ambiente")],
    )
    project.partners.set([OrganizationFactory(name="Regione Lombardia"), OrganizationFactory(name="Comune di Settala")])
    ProjectLink.objects.create(project=project, label="Il protocollo", url="https://example.org/protocollo.pdf")
    LabFactory(title="Laboratorio compensazioni", project=project)
    LabFactory(title="Laboratorio bozza", project=project, published=False)
    publication = PublicationFactory(title="Atlante delle compensazioni", year=2023)
    publication.projects.add(project)
    return project


def test_project_detail_shows_everything_in_at_most_8_queries(client, django_assert_max_num_queries, full_project):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("projects:detail", args=["stogit"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Compensazioni ambientali" in html
    assert "(STOGIT)" in html
    assert "8.739.950,00\xa0€" in html
    assert '<time datetime="2020-11-27">27 novembre 2020</time>' in html.replace("Novembre", "novembre")
    assert '<a href="/progetti/?programma=pnrr">PNRR</a> – Piano nazionale di ripresa' in html
    assert '<a href="https://www.anci.lombardia.it/">ANCI Lombardia</a>' in html
    assert "<li>Comune di Settala</li>" in html and "<li>Regione Lombardia</li>" in html
    assert '<a href="https://example.org/protocollo.pdf">Il protocollo</a>' in html
    assert "Laboratorio compensazioni" in html
    assert "Laboratorio bozza" not in html
    assert "Atlante delle compensazioni</a> (2023)" in html
    assert '<a href="/progetti/?area=ambiente">Ambiente</a>' in html
    assert "<p>Opere di compensazione.</p>" in html


def test_project_detail_query_count_does_not_grow_with_relations(client, django_assert_num_queries, full_project):
    for n in range(5):
        full_project.partners.add(OrganizationFactory())
        ProjectLink.objects.create(project=full_project, label=f"Link {n}", url="https://example.org/")
        LabFactory(project=full_project)
        FundingLine.objects.create(
            project=full_project, programme=FundingProgrammeFactory(eu_funded=n % 2 == 0), order=n
        )
    assert Organization.objects.count() > 5 and Lab.objects.count() > 5
    # project (+programme, lead), areas, partners, links, funding lines (+programme), labs, publications
    with django_assert_num_queries(7):
        client.get(reverse("projects:detail", args=["stogit"]))


def test_english_pages_use_the_english_title_and_labels(client):
    ProjectFactory(
        slug="boschi",
        title="Boschi urbani",
        title_en="Urban woods",
        areas=[AreaFactory(name="Ambiente", name_en="Environment")],
    )
    response = client.get("/en/progetti/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Urban woods" in html
    assert "Environment" in html
    detail = client.get("/en/progetti/boschi/")
    assert detail.status_code == 200
    assert "<h1>Urban woods" in detail.content.decode()


def test_services_list_and_detail_follow_the_service_page_model(client, django_assert_max_num_queries):
    from tests.factories import ServiceFactory

    service = ServiceFactory(
        slug="gare-gas",
        title="Consulenza gare gas",
        area=AreaFactory(name="Energia", slug="energia"),
        audience="I Comuni capofila degli ambiti.",
        description="Supporto nelle gare.",
        how_to_request="Scrivi una email.",
        requirements="La delibera.",
        outcome="Il bando.",
        timing="Sei mesi.",
        cost="Gratuito per i soci.",
        access_url="https://example.org/accesso",
        contact_email="gas@ancilab.it",
        contact_phone="02 1234 5678",
    )
    ServiceFactory(slug="spento", title="Servizio chiuso", active=False)
    listing = client.get(reverse("projects:service_list")).content.decode()
    assert "Consulenza gare gas" in listing and "Servizio chiuso" not in listing
    with django_assert_max_num_queries(8):
        response = client.get(service.get_absolute_url())
    html = response.content.decode()
    headings = [
        "A chi è rivolto",
        "Descrizione",
        "Come fare",
        "Cosa serve",
        "Cosa si ottiene",
        "Tempi",
        "Quanto costa",
        "Accedi al servizio",
        "Contatti",
        "Argomenti",
    ]
    positions = [html.index(f'-title">{heading}</h2>') for heading in headings]
    assert positions == sorted(positions)
    for heading in headings:
        assert f">{heading}</a></li>" in html  # the page index
    assert 'href="mailto:gas@ancilab.it"' in html and 'href="tel:0212345678"' in html
    assert client.get(reverse("projects:service_detail", args=["spento"])).status_code == 404


def test_catalogue_page_is_served_from_the_cache_until_content_changes(client, django_assert_num_queries):
    project = ProjectFactory(title="Boschi urbani")
    url = reverse("projects:list")
    first = client.get(url, {"stato": "ongoing"}).content.decode()
    with django_assert_num_queries(0):
        second = client.get(url, {"stato": "ongoing"})
    assert second.content.decode() == first
    project.title = "Boschi e parchi"
    project.save()  # bumps the content version: the cached page is never read again
    assert "Boschi e parchi" in client.get(url, {"stato": "ongoing"}).content.decode()


def test_italian_and_english_catalogue_pages_are_cached_apart(client):
    ProjectFactory(title="Boschi urbani", title_en="Urban woods")
    assert "Boschi urbani" in client.get("/progetti/").content.decode()
    assert "Urban woods" in client.get("/en/progetti/").content.decode()
    assert "Boschi urbani" in client.get("/progetti/").content.decode()


def test_staff_never_get_a_shared_cached_page(client, admin_client):
    ProjectFactory()
    client.get(reverse("projects:list"))
    assert admin_client.get(reverse("projects:list")).context is not None  # rendered, not replayed


def test_invalid_filters_are_not_cached(client):
    client.get(reverse("projects:list"), {"anno": "x"})
    response = client.get(reverse("projects:list"), {"anno": "x"})
    assert response.status_code == 400
    # Rendered again (a page served from the cache renders no template, so the test client records no context).
    assert response.context["errors"] == ["Attivo nell'anno: Inserisci un numero intero."]


def test_the_acronym_follows_the_title_only_when_the_title_lacks_it(client):
    ProjectFactory(slug="inlav", title="Integrazione Lavoro Lombardia (INLAV)", acronym="INLAV")
    ProjectFactory(slug="stogit", title="Compensazioni ambientali", acronym="STOGIT")
    listing = client.get(reverse("projects:list")).content.decode()
    detail = client.get(reverse("projects:detail", args=["inlav"])).content.decode()
    assert listing.count("INLAV") == 1 and "(INLAV) (INLAV)" not in detail
    assert '</a> <span class="text-secondary fw-normal">(STOGIT)</span></h3>' in listing


def test_the_area_filter_lists_areas_in_the_pages_language_order(client):
    ProjectFactory(
        slug="uno",
        areas=[
            AreaFactory(name="Ambiente", name_en="Environment", slug="ambiente"),
            AreaFactory(name="Cittadinanza attiva", name_en="Active citizenship", slug="cittadinanza"),
        ],
    )
    italian = client.get("/progetti/").content.decode()
    english = client.get("/en/progetti/").content.decode()
    assert italian.index(">Ambiente</option>") < italian.index(">Cittadinanza attiva</option>")
    assert english.index(">Active citizenship</option>") < english.index(">Environment</option>")
