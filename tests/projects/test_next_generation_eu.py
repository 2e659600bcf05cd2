"""NextGenerationEU: a project funded by the PNRR carries the EU emblem with «Finanziato dall'Unione europea –
NextGenerationEU» (not the co-funding statement) on its page, its labs' pages and the PDFs."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from documents.documents import catalogue_pdf, lab_programme_pdf
from projects.models import FundingLine
from tests.documents.helpers import pdf_text
from tests.factories import FundingProgrammeFactory, LabFactory, ProjectFactory
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db

NGEU = "Finanziato dall'Unione europea – NextGenerationEU"
COFUNDED = "Cofinanziato dall'Unione europea"
EMBLEM = 'src="/static/img/eu-emblem.svg" alt="Bandiera dell\'Unione europea"'


@pytest.fixture(autouse=True)
def _italian():
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture
def pnrr():
    return FundingProgrammeFactory(name="PNRR", slug="pnrr", next_generation_eu=True)


def _html(client, url: str) -> str:
    response = client.get(url)
    translation.activate("it")
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_next_generation_eu_programme_is_an_eu_fund(pnrr):
    pnrr.refresh_from_db()
    assert (pnrr.eu_funded, pnrr.next_generation_eu) == (True, True)


def test_the_statement_follows_the_projects_funds(pnrr):
    fesr = FundingProgrammeFactory(name="FESR", slug="fesr", eu_funded=True)
    local = FundingProgrammeFactory(name="Regione Lombardia", slug="regione-lombardia")
    by_programme = ProjectFactory(programme=pnrr)
    by_line = ProjectFactory(programme=fesr)
    FundingLine.objects.create(project=by_line, programme=pnrr)
    cofunded = ProjectFactory(programme=fesr)
    national = ProjectFactory(programme=local)
    assert [p.eu_statement for p in (by_programme, by_line, cofunded, national)] == [NGEU, NGEU, COFUNDED, ""]


def test_editor_marks_a_programme_as_next_generation_eu(editor_client):
    programme = FundingProgrammeFactory(name="PNRR", slug="pnrr")
    url = reverse("admin:projects_fundingprogramme_change", args=[programme.pk])
    data = form_data(editor_client.get(url).content.decode(), "fundingprogramme_form", next_generation_eu="on")
    assert editor_client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert (programme.next_generation_eu, programme.eu_funded) == (True, True)


def test_project_and_lab_pages_show_the_next_generation_eu_statement(client, pnrr):
    project = ProjectFactory(programme=pnrr)
    lab = LabFactory(project=project)
    for url in (project.get_absolute_url(), lab.get_absolute_url()):
        html = _html(client, url)
        statement = html.split('class="portal-eu-funding', 1)[1].split("</p>", 1)[0]
        assert EMBLEM in statement and f"<span>{NGEU}</span>" in statement
        assert COFUNDED not in html
    with translation.override("en"):
        url = project.get_absolute_url()
    assert "<span>Funded by the European Union – NextGenerationEU</span>" in _html(client, url)


def test_pdfs_carry_the_next_generation_eu_statement(pnrr):
    project = ProjectFactory(programme=pnrr, title="Rete dei borghi")
    ProjectFactory(programme=FundingProgrammeFactory(name="FSE", slug="fse", eu_funded=True), title="Altro progetto")
    lab = LabFactory(project=project)
    catalogue = " ".join(pdf_text(catalogue_pdf()).split())
    assert (catalogue.count(NGEU), catalogue.count(COFUNDED)) == (1, 1)
    assert NGEU in " ".join(pdf_text(lab_programme_pdf(lab)).split())
