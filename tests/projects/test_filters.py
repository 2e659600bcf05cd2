"""Catalogue filters on /progetti/: exact result sets for single filters and combinations, and invalid input."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.projects.listing import listed_projects

pytestmark = pytest.mark.django_db


def slugs(client, **params) -> list[str]:
    response = client.get(reverse("projects:list"), params)
    assert response.status_code == 200
    return [project.slug for project in listed_projects(response)]


def test_no_filter_lists_every_published_project_by_title(client, catalogue):
    assert slugs(client) == ["acque", "anziani", "archivio", "boschi", "scuole"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"area": "ambiente"}, {"boschi", "acque", "scuole"}),
        ({"area": "welfare"}, {"anziani", "scuole"}),
        ({"stato": "completed"}, {"acque", "archivio"}),
        ({"stato": "planned"}, {"scuole"}),
        ({"programma": "fami"}, {"anziani", "scuole"}),
        # No start date means "running since before records began": archivio (ended 2019) counts in 2017.
        ({"anno": "2017"}, {"acque", "archivio"}),
        ({"anno": "2019"}, {"archivio"}),
        ({"anno": "2024"}, {"boschi", "anziani"}),
        ({"budget_min": "100000"}, {"boschi", "anziani"}),
        ({"budget_max": "90000"}, {"acque", "archivio"}),
        ({"budget_min": "20000", "budget_max": "300000"}, {"boschi", "acque"}),
        ({"area": "ambiente", "stato": "ongoing"}, {"boschi"}),
        ({"area": "welfare", "programma": "fami", "anno": "2027"}, {"anziani", "scuole"}),
        ({"area": "ambiente", "budget_max": "100000", "anno": "2016"}, {"acque"}),
        ({"q": "boschi"}, {"boschi"}),
        ({"q": "comunità", "stato": "ongoing"}, {"anziani"}),
        ({"stato": "completed", "programma": "pnrr"}, set()),
        ({"area": "", "stato": "", "q": ""}, {"acque", "anziani", "archivio", "boschi", "scuole"}),
    ],
)
def test_filter_combinations_return_exactly_the_expected_projects(client, catalogue, params, expected):
    assert set(slugs(client, **params)) == expected


def test_sort_by_budget_puts_projects_without_budget_last(client, catalogue):
    assert slugs(client, ordina="-budget") == ["anziani", "boschi", "acque", "archivio", "scuole"]


def test_sort_by_start_date_newest_first(client, catalogue):
    assert slugs(client, ordina="-start_date") == ["scuole", "anziani", "boschi", "acque", "archivio"]


def test_relevance_without_a_query_falls_back_to_title(client, catalogue):
    assert slugs(client, ordina="relevance") == ["acque", "anziani", "archivio", "boschi", "scuole"]


def test_result_count_and_active_filters_are_shown(client, catalogue):
    response = client.get(reverse("projects:list"), {"area": "ambiente", "stato": "ongoing"})
    html = response.content.decode()
    assert "1 progetto</h2>" in html
    assert "Area tematica: «Ambiente»" in html
    assert "Stato: «in corso»" in html
    assert 'href="/progetti/">Rimuovi tutti i filtri</a>' in html


def test_count_is_plural_without_filters_and_has_no_clear_button(client, catalogue):
    html = client.get(reverse("projects:list")).content.decode()
    assert "5 progetti</h2>" in html
    assert "Rimuovi tutti i filtri" not in html


def test_the_export_links_carry_the_filters(client, catalogue):
    html = client.get(reverse("projects:list"), {"area": "welfare", "page": "1"}).content.decode()
    assert 'href="/progetti/export.csv?area=welfare"' in html
    assert 'href="/progetti/export.json?area=welfare"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"area": "inesistente"},
            "Area tematica: Scegli un&#x27;opzione valida. inesistente non è tra quelle disponibili.",
        ),
        ({"stato": "sospeso"}, "Stato: Scegli un&#x27;opzione valida. sospeso non è tra quelle disponibili."),
        ({"programma": "xyz"}, "Programma di finanziamento: Scegli un&#x27;opzione valida."),
        ({"anno": "duemila"}, "Attivo nell&#x27;anno: Inserisci un numero intero."),
        ({"anno": "1200"}, "Attivo nell&#x27;anno: Assicurati che questo valore sia maggiore o uguale a 1990."),
        ({"budget_min": "-5"}, "Budget minimo (€): Assicurati che questo valore sia maggiore o uguale a 0."),
        ({"budget_min": "abc"}, "Budget minimo (€): Inserisci un numero."),
        (
            {"budget_min": "500", "budget_max": "100"},
            "Budget massimo (€): Il budget massimo non può essere inferiore al minimo.",
        ),
        ({"ordina": "casuale"}, "Ordina per: Scegli un&#x27;opzione valida."),
    ],
)
def test_invalid_filters_answer_400_with_a_clear_message(client, catalogue, params, message):
    response = client.get(reverse("projects:list"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Alcuni filtri non sono validi" in html
    assert message in html
    assert listed_projects(response) == []
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(("page", "expected_number"), [("abc", 1), ("9999", 2), ("-1", 2), ("2", 2)])
def test_odd_page_numbers_land_on_a_real_page(client, catalogue, page, expected_number, settings):
    from tests.factories import ProjectFactory

    ProjectFactory.create_batch(24)  # 29 published: two pages of 24
    response = client.get(reverse("projects:list"), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected_number


def test_search_text_longer_than_200_characters_is_refused_with_a_message(client, catalogue):
    response = client.get(reverse("projects:list"), {"q": "boschi " * 30})
    assert response.status_code == 400
    assert "Cerca nel catalogo: Assicurati che questo valore non contenga più di 200 caratteri (ne ha 209)." in (
        response.content.decode()
    )


@pytest.mark.parametrize("url", ["/progetti/", "/en/progetti/", "/pubblicazioni/"])
def test_each_select_offers_its_empty_choice_once(client, catalogue, url):
    """The walk-through found "Tutte le aree" twice in each select: django-filter's empty choice added on top of a
    list that already held it."""
    html = client.get(url).content.decode()
    selects = re.findall(r"<select .*?</select>", html, flags=re.S)
    assert selects
    for select in selects:
        assert select.count('value=""') <= 1, select[:120]
    assert html.count(">All areas</option>" if url.startswith("/en/") else ">Tutte le aree</option>") == 1
