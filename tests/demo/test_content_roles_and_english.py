"""Demo content from the sources: the partner roles the catalogue states, the PNRR's NextGenerationEU statement, and
the English translations of the texts the labs and the news show (faithful translations of the Italian)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from projects.models import Project, ProjectPartner
from publications.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())
    translation.activate("it")


def test_partner_roles_are_the_ones_the_catalogue_states(demo):
    # "un partner associato (UNESCO Cipro)"; GovernaTI-VA: "come capofila svizzero l'Università della Svizzera
    # Italiana – USI". Every other partner is a plain partner.
    assert sorted(
        ProjectPartner.objects.exclude(role="partner").values_list("project__slug", "organization__slug", "role")
    ) == [
        ("cultural-bees", "unesco-cipro", "associate"),
        ("governati-va", "usi", "lead"),
    ]


def test_loading_twice_changes_no_partner(demo):
    changes = StringIO()
    call_command("load_demo", stdout=changes)
    assert "partners" not in changes.getvalue()


def test_pnrr_projects_carry_the_next_generation_eu_statement(demo):
    statements = {
        p.slug: p.eu_statement for p in Project.objects.filter(programme__slug="pnrr").prefetch_related("funding_lines")
    }
    assert statements == dict.fromkeys(
        [
            "centri-di-competenza-borghi-storici",
            "culturali-sostenibili-techlab-esg",
            "monitoraggio-pnrr-piattaforma-pass",
            "rete-borghi-pnrr",
        ],
        "Finanziato dall'Unione europea – NextGenerationEU",
    )


def test_english_texts_of_the_lab_projects_and_the_news(client, demo):
    assert set(Project.objects.exclude(description_en="").values_list("slug", flat=True)) == {
        "lab-impact",
        "sviluppo-sostenibile-2021",
    }
    article = Article.objects.get()
    assert article.body_en.startswith("The article, republished by lentepubblica.it from an ANCI source,")
    with translation.override("en"):
        url = article.get_absolute_url()
    html = client.get(url).content.decode()
    translation.activate("it")
    assert '<div class="portal-article-body"><p>The article, republished by lentepubblica.it' in html
