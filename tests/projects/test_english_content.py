"""English for the long texts of projects, services and news: edited in the admin next to the Italian, shown on
/en/ pages, and marked lang="it" where the translation is missing (the Italian then shows)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from projects.models import Service
from tests.factories import ArticleFactory, ProjectFactory, ServiceFactory
from tests.support.forms import form_data
from website.search import site_search

pytestmark = pytest.mark.django_db

SECTIONS = ["audience", "description", "how_to_request", "requirements", "outcome", "timing", "cost"]


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


def _en(obj) -> str:
    with translation.override("en"):
        return obj.get_absolute_url()


def _service(*, english: bool) -> Service:
    italian = {name: f"Testo italiano {name}." for name in SECTIONS}
    translated = {f"{name}_en": f"English text {name}." for name in SECTIONS} if english else {}
    return ServiceFactory(title="Sportello bandi", **italian, **translated)


# --- Models -----------------------------------------------------------------------------------------------------------


def test_display_accessors_follow_the_language_and_fall_back_to_italian():
    project = ProjectFactory.build(description="Descrizione.", description_en="Description.")
    untranslated = ProjectFactory.build(description="Solo italiano.")
    service = ServiceFactory.build(cost="Gratuito.", cost_en="Free of charge.", timing="Trenta giorni.")
    with translation.override("en"):
        assert (project.display_description, untranslated.display_description) == ("Description.", "Solo italiano.")
        assert (service.display_cost, service.display_timing) == ("Free of charge.", "Trenta giorni.")
    with translation.override("it"):
        assert (project.display_description, service.display_cost) == ("Descrizione.", "Gratuito.")


# --- Admin ------------------------------------------------------------------------------------------------------------


def test_editor_writes_the_english_description_next_to_the_italian(editor_client):
    project = ProjectFactory(description="Descrizione del progetto.")
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = form_data(
        editor_client.get(url).content.decode(), "project_form", description_en="Description of the project."
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.description, project.description_en) == ("Descrizione del progetto.", "Description of the project.")


def test_editor_writes_every_english_section_of_a_service(editor_client):
    service = _service(english=False)
    url = reverse("admin:projects_service_change", args=[service.pk])
    changes = {f"{name}_en": f"English {name}." for name in SECTIONS}
    response = editor_client.post(url, form_data(editor_client.get(url).content.decode(), "service_form", **changes))
    assert response.status_code == 302
    service.refresh_from_db()
    assert {name: getattr(service, f"{name}_en") for name in SECTIONS} == {
        name: f"English {name}." for name in SECTIONS
    }
    assert service.cost == "Testo italiano cost."


def test_editor_writes_the_english_body_of_a_news_item(editor_client):
    article = ArticleFactory(body="Testo della notizia.")
    url = reverse("admin:publications_article_change", args=[article.pk])
    data = form_data(editor_client.get(url).content.decode(), "article_form", body_en="Text of the news item.")
    assert editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.body_en == "Text of the news item."


# --- Pages ------------------------------------------------------------------------------------------------------------


def test_english_project_page_shows_the_english_description(client):
    project = ProjectFactory(description="Descrizione del progetto.", description_en="Description of the project.")
    assert "<div><p>Description of the project.</p></div>" in _html(client, _en(project))
    assert "<div><p>Descrizione del progetto.</p></div>" in _html(client, project.get_absolute_url())


def test_untranslated_description_is_italian_marked_lang_it(client):
    project = ProjectFactory(description="Descrizione del progetto.")
    assert '<div lang="it"><p>Descrizione del progetto.</p></div>' in _html(client, _en(project))
    assert "<div><p>Descrizione del progetto.</p></div>" in _html(client, project.get_absolute_url())


def test_english_service_page_shows_each_english_section(client):
    html = _html(client, _en(_service(english=True)))
    for name in SECTIONS:
        assert f"<div><p>English text {name}.</p></div>" in html
    assert "Testo italiano" not in html


def test_untranslated_service_sections_are_italian_marked_lang_it(client):
    service = _service(english=False)
    html = _html(client, _en(service))
    for name in SECTIONS:
        assert f'<div lang="it"><p>Testo italiano {name}.</p></div>' in html
    html = _html(client, service.get_absolute_url())
    assert 'lang="it"><p>' not in html
    assert html.count("<div><p>Testo italiano ") == len(SECTIONS)


def test_english_news_page_shows_the_english_body(client):
    article = ArticleFactory(body="Testo della notizia.", body_en="Text of the news item.")
    html = _html(client, _en(article))
    assert '<div class="portal-article-body"><p>Text of the news item.</p></div>' in html


def test_news_feed_in_english_uses_the_english_texts(client):
    ArticleFactory(title="Notizia", title_en="News item", body="Testo della notizia.", body_en="Text of the news item.")
    xml = _html(client, "/en/notizie/feed/")
    assert "<title>News item</title>" in xml
    assert "<description>Text of the news item.</description>" in xml


def test_site_search_finds_services_news_and_publications_by_their_english_words():
    ServiceFactory(title="Sportello bandi", title_en="Calls for proposals desk")
    ArticleFactory(title="Notizia", summary_en="Turin as a city-led open-innovation example.")
    with translation.override("en"):
        groups = {group.key: group for group in site_search("proposals")}
        assert (groups["services"].total, [hit.title for hit in groups["services"].results]) == (
            1,
            ["Calls for proposals desk"],
        )
        groups = {group.key: group for group in site_search("open-innovation")}
        assert [hit.title for hit in groups["news"].results] == ["Notizia"]
