"""Publication editions: a publication that came out several times lists its editions (label, year when known, link
when known) on its page, edited in an inline of the publication form; English labels on /en/, Italian marked lang="it"."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from publications.models import Publication, PublicationEdition
from tests.factories import PublicationFactory
from tests.support.forms import form_data

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
    return response.content.decode()


def _editions(html: str) -> str:
    return (
        html.split('<dt class="col-sm-3">Edizioni</dt>', 1)[1].split("</dd>", 1)[0] if "Edizioni</dt>" in html else ""
    )


@pytest.fixture
def paper():
    publication = PublicationFactory(slug="vieni-in-europa", title="Vieni in Europa con noi", year=None)
    PublicationEdition.objects.create(publication=publication, label="Edizione 2", year=2019, order=2)
    PublicationEdition.objects.create(
        publication=publication,
        label="Edizione 1",
        label_en="Issue 1",
        year=2018,
        external_url="https://www.anci.lombardia.it/",
        order=1,
    )
    return publication


def test_editions_are_ordered_and_described(paper):
    assert [str(edition) for edition in paper.editions.all()] == ["Edizione 1 (2018)", "Edizione 2 (2019)"]


def test_editor_adds_editions_in_the_publication_inline(editor_client):
    publication = PublicationFactory()
    url = reverse("admin:publications_publication_change", args=[publication.pk])
    data = form_data(
        editor_client.get(url).content.decode(),
        "publication_form",
        **{
            "editions-TOTAL_FORMS": "2",
            "editions-0-label": "Edizione 1",
            "editions-0-label_en": "Issue 1",
            "editions-0-year": "2018",
            "editions-0-order": "1",
            "editions-1-label": "Edizione 2",
            "editions-1-order": "2",
        },
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert list(publication.editions.values_list("label", "label_en", "year", "order")) == [
        ("Edizione 1", "Issue 1", 2018, 1),
        ("Edizione 2", "", None, 2),
    ]


def test_publication_page_lists_the_editions_exactly(client, paper):
    assert _editions(_html(client, paper.get_absolute_url())) == (
        '<dd class="col-sm-9"><ul class="list-unstyled mb-0 portal-editions">'
        '<li><a href="https://www.anci.lombardia.it/">Edizione 1</a> (2018)</li>'
        "<li><span>Edizione 2</span> (2019)</li></ul>"
    )


def test_english_page_shows_english_labels_and_marks_the_italian_ones(client, paper):
    with translation.override("en"):
        url = paper.get_absolute_url()
    editions = _html(client, url).split("portal-editions", 1)[1].split("</ul>", 1)[0]
    assert '<li><a href="https://www.anci.lombardia.it/">Issue 1</a> (2018)</li>' in editions
    assert '<li><span lang="it">Edizione 2</span> (2019)</li>' in editions


def test_a_publication_without_editions_has_no_editions_row(client):
    assert "Edizioni</dt>" not in _html(client, PublicationFactory().get_absolute_url())


def test_the_demo_paper_has_the_seven_editions_the_source_states(client):
    call_command("load_demo", stdout=StringIO())
    translation.activate("it")
    paper = Publication.objects.get(slug="vieni-in-europa-con-noi")
    # "sono stati pubblicati 7 edizioni del paper informativo «Vieni in Europa con noi»": no years, no links.
    assert list(paper.editions.values_list("label", "year", "external_url")) == [
        (f"Edizione {n}", None, "") for n in range(1, 8)
    ]
    assert PublicationEdition.objects.exclude(publication=paper).count() == 0
