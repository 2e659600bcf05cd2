"""Project identifiers (CUP, project code) and funding lines with the EU co-funding statement (issue 15).

Staff enter them on the project form (fields and the funding-line inline); the project page, the pages of its labs,
the catalogue PDF and the lab programme PDF show them; the open data carries them.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from documents.documents import catalogue_pdf, lab_programme_pdf
from projects.models import FundingLine
from tests.documents.helpers import pdf_text
from tests.factories import FundingProgrammeFactory, LabFactory, ProjectFactory
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db

STATEMENT = "Cofinanziato dall'Unione europea"
EMBLEM = "/static/img/eu-emblem.svg"


@pytest.fixture(autouse=True)
def _italian():
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture
def fami():
    return FundingProgrammeFactory(
        name="FAMI", slug="fami", full_name="Fondo Asilo, Migrazione e Integrazione", eu_funded=True
    )


@pytest.fixture
def governativa():
    interreg = FundingProgrammeFactory(name="Interreg", slug="interreg", eu_funded=True)
    fesr = FundingProgrammeFactory(name="FESR", slug="fesr", eu_funded=True)
    swiss = FundingProgrammeFactory(name="Contributi federali e cantonali (CH)", slug="ch", eu_funded=False)
    project = ProjectFactory(slug="governati-va", title="Progetto GovernaTI-VA", programme=interreg)
    FundingLine.objects.create(project=project, programme=interreg, measure="Asse 5 · Obiettivo Specifico 5.1", order=1)
    FundingLine.objects.create(project=project, programme=fesr, measure="Fondi FESR e fondi nazionali", order=2)
    FundingLine.objects.create(project=project, programme=swiss, amount=Decimal("1234.50"), order=3)
    return project


def _html(client, url: str) -> str:
    response = client.get(url)
    translation.activate("it")
    assert response.status_code == 200, url
    return response.content.decode()


def _dd(html: str, label: str) -> str:
    return html.split(f'<dt class="col-sm-4">{label}</dt>', 1)[1].split("</dd>", 1)[0]


# --- Admin ------------------------------------------------------------------------------------------------------------


def test_editor_sets_cup_code_and_funding_lines_on_the_project_form(editor_client, fami):
    project = ProjectFactory(slug="lab-impact", title="FAMI Lab'Impact", programme=fami)
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    data = form_data(
        page.content.decode(),
        "project_form",
        cup="E89F18000510007",
        project_code="PROG-2463",
        **{
            "funding_lines-TOTAL_FORMS": "1",
            "funding_lines-0-programme": str(fami.pk),
            "funding_lines-0-measure": "FAMI 2014-2020 · Obiettivo Specifico 2 · Obiettivo nazionale 2",
            "funding_lines-0-amount": "739660.00",
            "funding_lines-0-order": "1",
        },
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    project.refresh_from_db()
    assert (project.cup, project.project_code) == ("E89F18000510007", "PROG-2463")
    assert list(project.funding_lines.values_list("programme__slug", "measure", "amount", "order")) == [
        ("fami", "FAMI 2014-2020 · Obiettivo Specifico 2 · Obiettivo nazionale 2", Decimal("739660.00"), 1)
    ]
    # The main programme the catalogue filters by is untouched.
    assert project.programme == fami


def test_a_malformed_cup_is_refused_with_an_italian_message(editor_client):
    project = ProjectFactory()
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = form_data(editor_client.get(url).content.decode(), "project_form", cup="E89F1800051000")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cup"] == [
        "Il CUP è composto da 15 caratteri, lettere maiuscole e cifre."
    ]
    project.refresh_from_db()
    assert project.cup == ""


def test_editor_marks_a_programme_as_an_eu_fund(editor_client):
    programme = FundingProgrammeFactory(name="LIFE", slug="life")
    url = reverse("admin:projects_fundingprogramme_change", args=[programme.pk])
    data = form_data(editor_client.get(url).content.decode(), "fundingprogramme_form", eu_funded="on")
    assert editor_client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.eu_funded is True


# --- Public pages -----------------------------------------------------------------------------------------------------


def test_project_page_shows_identifiers_lines_and_the_eu_statement(client, governativa):
    governativa.cup, governativa.project_code = "E89F18000510007", "PROG-2463"
    governativa.save()
    html = _html(client, governativa.get_absolute_url())
    assert _dd(html, "CUP") == '<dd class="col-sm-8">E89F18000510007'
    assert _dd(html, "Codice progetto") == '<dd class="col-sm-8">PROG-2463'
    funding = _dd(html, "Finanziamento")
    assert funding.count("<li>") == 3
    assert '<a href="/progetti/?programma=interreg">Interreg</a> · Asse 5 · Obiettivo Specifico 5.1</li>' in funding
    assert '<a href="/progetti/?programma=fesr">FESR</a> · Fondi FESR e fondi nazionali</li>' in funding
    assert (
        '<a href="/progetti/?programma=ch">Contributi federali e cantonali (CH)</a> · 1.234,50\u00a0€</li>' in funding
    )
    # With lines, the single-programme row is not repeated.
    assert "Programma di finanziamento</dt>" not in html
    assert f'src="{EMBLEM}" alt="Bandiera dell\'Unione europea"' in html and f"<span>{STATEMENT}</span>" in html
    # The Content-Security-Policy has no 'unsafe-inline': the emblem is laid out by classes, not style attributes.
    assert "style=" not in html.split('class="portal-eu-funding', 1)[1].split("</p>", 1)[0]
    english = _html(client, f"/en{governativa.get_absolute_url()}")
    assert "<span>Co-funded by the European Union</span>" in english and "Funding</dt>" in english


def test_project_without_lines_keeps_the_programme_row_and_no_eu_statement(client):
    project = ProjectFactory(programme=FundingProgrammeFactory(name="PNRR", slug="pnrr", eu_funded=False))
    html = _html(client, project.get_absolute_url())
    assert '<a href="/progetti/?programma=pnrr">PNRR</a>' in _dd(html, "Programma di finanziamento")
    assert "Finanziamento</dt>" not in html and "CUP</dt>" not in html and "Codice progetto</dt>" not in html
    assert STATEMENT not in html and EMBLEM not in html


def test_eu_funded_comes_from_the_main_programme_or_any_line(fami):
    local = FundingProgrammeFactory(name="Regione Lombardia", slug="regione-lombardia")
    by_programme = ProjectFactory(programme=fami)
    by_line = ProjectFactory(programme=local)
    FundingLine.objects.create(project=by_line, programme=fami)
    neither = ProjectFactory(programme=local)
    FundingLine.objects.create(project=neither, programme=local)
    assert [p.eu_funded for p in (by_programme, by_line, neither, ProjectFactory())] == [True, True, False, False]


def test_pages_of_labs_of_an_eu_funded_project_show_the_statement(client, fami):
    funded = LabFactory(project=ProjectFactory(programme=fami))
    other = LabFactory(project=ProjectFactory())
    html = _html(client, funded.get_absolute_url())
    section = html.split('id="cos-e"', 1)[1].split("</section>", 1)[0]
    assert f'src="{EMBLEM}"' in section and f"<span>{STATEMENT}</span>" in section
    assert STATEMENT not in _html(client, other.get_absolute_url())
    assert STATEMENT in " ".join(pdf_text(lab_programme_pdf(funded)).split())
    assert STATEMENT not in " ".join(pdf_text(lab_programme_pdf(other)).split())


def test_catalogue_pdf_entry_carries_cup_and_the_statement(governativa, caplog):
    governativa.cup = "E89F18000510007"
    governativa.save()
    ProjectFactory(slug="locale", title="Progetto locale")
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        text = " ".join(pdf_text(catalogue_pdf()).split())
    # The tagged PDF needs the emblem's alternative text (WeasyPrint logs an error for an image without one).
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == []
    assert text.count("CUP: E89F18000510007") == 1
    assert text.count(STATEMENT) == 1  # GovernaTI-VA's entry only


def test_the_emblem_is_self_hosted_and_drawn_as_twelve_stars_on_blue():
    path = finders.find("img/eu-emblem.svg")
    assert path
    with open(path, encoding="utf-8") as handle:
        svg = handle.read()
    assert svg.count("<polygon") == 12
    assert 'fill="#003399"' in svg and 'fill="#FFCC00"' in svg and 'viewBox="0 0 810 540"' in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


# --- Open data --------------------------------------------------------------------------------------------------------


def _export(client, name: str) -> str:
    return b"".join(client.get(reverse(f"projects:export_{name}")).streaming_content).decode()


def test_open_data_carries_identifiers_lines_and_the_eu_flag(client, governativa, fami):
    ProjectFactory(slug="lab-impact", cup="E89F18000510007", project_code="PROG-2463", programme=fami)
    ProjectFactory(slug="locale")
    items = {item["slug"]: item for item in json.loads(_export(client, "json"))["items"]}
    assert (items["lab-impact"]["cup"], items["lab-impact"]["project_code"]) == ("E89F18000510007", "PROG-2463")
    assert items["lab-impact"]["funding_lines"] == [] and items["lab-impact"]["eu_funded"] is True
    assert items["governati-va"]["funding_lines"] == [
        {"programme": "Interreg", "measure": "Asse 5 · Obiettivo Specifico 5.1", "amount_eur": None},
        {"programme": "FESR", "measure": "Fondi FESR e fondi nazionali", "amount_eur": None},
        {"programme": "Contributi federali e cantonali (CH)", "measure": "", "amount_eur": "1234.50"},
    ]
    assert items["governati-va"]["eu_funded"] is True
    assert (items["locale"]["cup"], items["locale"]["funding_lines"], items["locale"]["eu_funded"]) == ("", [], False)

    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(_export(client, "csv")))}
    assert rows["lab-impact"]["cup"] == "E89F18000510007" and rows["lab-impact"]["eu_funded"] == "true"
    assert rows["lab-impact"]["funding_lines"] == "" and rows["locale"]["eu_funded"] == "false"
    assert json.loads(rows["governati-va"]["funding_lines"]) == items["governati-va"]["funding_lines"]


def test_the_schema_documentation_lists_every_exported_column():
    from django.conf import settings

    from projects.exports import FIELDS

    schema = (settings.BASE_DIR / "docs" / "open-data.md").read_text(encoding="utf-8")
    for name in FIELDS:
        assert f"`{name}`" in schema, name
