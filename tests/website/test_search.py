"""Full-text search: the catalogue's q, the site-wide /cerca/ grouped by type, Italian stemming on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import ArticleFactory, LabFactory, ProjectFactory, PublicationFactory, ServiceFactory
from tests.projects.listing import listed_projects
from website.search import site_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(db):
    ProjectFactory(slug="p-welfare", title="Welfare di comunità", summary="Reti di servizi.")
    ProjectFactory(
        slug="p-desc", title="Altro progetto", summary="Sintesi.", description="Anche qui si parla di welfare."
    )
    ProjectFactory(slug="p-bozza", title="Welfare nascosto", published=False)
    ProjectFactory(slug="p-rifiuti", title="Rifiuti zero", summary="Raccolta differenziata.")
    LabFactory(slug="l-welfare", title="Laboratorio welfare", subtitle="Comuni insieme")
    ServiceFactory(slug="s-welfare", title="Sportello welfare")
    PublicationFactory(slug="e-welfare", title="Il welfare dei Comuni")
    ArticleFactory(slug="n-welfare", title="Nuovo welfare", body="Testo.")
    ArticleFactory(slug="n-altro", title="Altro", body="Niente.")


def test_site_search_groups_every_type_with_counts(content):
    groups = {group.key: group for group in site_search("welfare")}
    assert list(groups) == ["labs", "projects", "services", "publications", "news"]
    assert {key: group.total for key, group in groups.items()} == {
        "labs": 1,
        "projects": 2,
        "services": 1,
        "publications": 1,
        "news": 1,
    }
    if connection.vendor == "postgresql":  # ranked: the title match (A) outranks the description one (C)
        expected = ["/progetti/p-welfare/", "/progetti/p-desc/"]
    else:  # SQLite: no rank, the catalogue's title order
        expected = ["/progetti/p-desc/", "/progetti/p-welfare/"]
    assert [hit.url for hit in groups["projects"].results] == expected
    assert groups["labs"].results[0].text == "Comuni insieme"


def test_search_page_shows_groups_and_counts(client, content):
    response = client.get(reverse("search"), {"q": "welfare"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "6 risultati per «welfare»" in html
    assert '<a href="#gruppo-projects">Progetti (2)</a>' in html
    assert '<a href="/progetti/p-welfare/">Welfare di comunità</a>' in html
    assert '<a href="/notizie/n-welfare/">Nuovo welfare</a>' in html
    assert "Welfare nascosto" not in html


def test_empty_query_explains_what_to_do_without_querying(client, django_assert_num_queries, content):
    with django_assert_num_queries(0):
        response = client.get(reverse("search"), {"q": "   "})
    assert "Scrivi una o più parole" in response.content.decode()


def test_no_results_message(client, content):
    html = client.get(reverse("search"), {"q": "zzzz"}).content.decode()
    assert "0 risultati per «zzzz»" in html
    assert "Nessun risultato. Prova con parole diverse o più generiche." in html


def test_search_query_count_is_two_per_type(client, django_assert_num_queries, content):
    with django_assert_num_queries(10):
        client.get(reverse("search"), {"q": "welfare"})


def test_overlong_query_is_cut_with_a_note(client, content):
    response = client.get(reverse("search"), {"q": "welfare " * 40})
    assert response.status_code == 200
    assert "sono stati usati i primi 200 caratteri" in response.content.decode()


@pytest.mark.parametrize("q", ['"', "a & b | !c", "-", "'; drop table", "\\", "(((", "%_"])
def test_odd_characters_never_break_the_search(client, content, q):
    assert client.get(reverse("search"), {"q": q}).status_code == 200
    assert client.get(reverse("projects:list"), {"q": q}).status_code == 200


def test_catalogue_relevance_ranks_title_over_description(client, content, postgres_only):
    response = client.get(reverse("projects:list"), {"q": "welfare"})
    assert response.context["sort_key"] == "relevance"
    assert [p.slug for p in listed_projects(response)] == ["p-welfare", "p-desc"]


def test_italian_stemming_finds_laboratorio_for_laboratori(client, postgres_only):
    ProjectFactory(slug="lab", title="Un laboratorio per i Comuni")
    ProjectFactory(slug="altro", title="Piano rifiuti")
    LabFactory(slug="l1", title="Laboratorio di progettazione europea")
    assert [p.slug for p in listed_projects(client.get(reverse("projects:list"), {"q": "laboratori"}))] == ["lab"]
    groups = {group.key: group.total for group in site_search("laboratori")}
    assert groups["labs"] == 1 and groups["projects"] == 1


def test_catalogue_search_uses_the_gin_index(postgres_only):
    from projects.models import Project
    from projects.search import search_projects

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = search_projects(Project.objects.all(), "welfare").explain()
        cursor.execute("SET enable_seqscan = on")
    assert "project_search_vector_gin" in plan
