"""The "Chi siamo" page (issue 15): ANCI Lombardia, AnciLab and AnciLab Editore from the catalogue's own text,
linked from every page's footer, in Italian and English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _italian():
    translation.activate("it")
    yield
    translation.activate("it")


def _html(client, url: str) -> str:
    response = client.get(url)
    translation.activate("it")
    assert response.status_code == 200, url
    return response.content.decode().replace("&#x27;", "'")


def test_about_page_states_the_catalogue_figures_and_bodies(client):
    html = _html(client, reverse("about"))
    assert "<h1>Chi siamo</h1>" in html
    # "ANCI Lombardia associa a sé 1401 Comuni della Regione, il 93% del totale con una copertura del 97% della
    # popolazione lombarda"
    assert (
        "ANCI Lombardia associa 1.401 Comuni della regione: il 93% del totale, dove vive il 97% della popolazione"
        in html
    )
    assert "Presidente: Mauro Guerra, Sindaco di Tremezzina. Segretario generale: Rinaldo Mario Redaelli." in html
    assert "Dal 2023 è Società Benefit." in html and "Direttore: Onelia Rivolta." in html
    for section in ("anci-lombardia", "ancilab", "ancilab-editore", "contatti"):
        assert f'<section class="portal-section" id="{section}"' in html
    assert f'href="{reverse("publications:list")}">Pubblicazioni</a>' in html
    assert 'aria-current="page">Chi siamo</li>' in html


def test_about_page_in_english(client):
    html = _html(client, "/en/chi-siamo/")
    assert "<h1>About us</h1>" in html
    assert "1,401 member municipalities in the region: 93% of the total, home to 97% of Lombardy's population" in html


def test_every_page_links_it_from_the_footer(client):
    for url in (reverse("home"), reverse("legal")):
        footer = _html(client, url).split('id="footer"', 1)[1]
        assert f'<a class="text-white" href="{reverse("about")}">Chi siamo</a>' in footer
