"""Language of parts (WCAG 2.1 SC 3.1.2): on /en/ pages, content not translated yet falls back to Italian, and the
element that shows it says lang="it", so that screen readers switch pronunciation; translated content and Italian
pages get no attribute. axe-core cannot check this, hence exact fragments here."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from labs.models import Lab
from projects.models import Project, Service
from tests.factories import (
    ArticleFactory,
    LabFactory,
    MeetingFactory,
    ProjectFactory,
    PublicationFactory,
    ServiceFactory,
)

# An Italian page has two by itself: <html lang="it"> and the ITA link of the language switch.
ITALIAN_CHROME = 2


def _render(obj, field: str) -> str:
    return Template("{% load portal %}{% lang_fallback obj field %}").render(Context({"obj": obj, "field": field}))


# --- the tag ------------------------------------------------------------------------------------------------------


def test_it_outputs_nothing_on_italian_pages():
    with translation.override("it"):
        assert _render(Project(title="Rigenerazione urbana"), "title") == ""


def test_it_marks_an_empty_translation_on_english_pages():
    with translation.override("en"):
        assert _render(Project(title="Rigenerazione urbana", title_en=""), "title") == ' lang="it"'


def test_it_outputs_nothing_for_a_translated_field():
    with translation.override("en"):
        assert _render(Project(title="Beni culturali", title_en="Cultural heritage"), "title") == ""


def test_each_field_is_judged_on_its_own():
    lab = Lab(title="Beni culturali", title_en="Cultural heritage", subtitle="Per i Comuni", subtitle_en="")
    with translation.override("en"):
        assert (_render(lab, "title"), _render(lab, "subtitle")) == ("", ' lang="it"')


def test_a_field_without_an_english_column_is_always_italian():
    with translation.override("en"):
        assert _render(Service(title="Sportello", how_to_request="Scrivere alla segreteria."), "how_to_request") == (
            ' lang="it"'
        )


def test_an_empty_text_or_a_missing_object_outputs_nothing():
    with translation.override("en"):
        assert _render(Lab(title="Beni culturali", subtitle=""), "subtitle") == ""
        assert _render("", "title") == ""
        assert _render(None, "title") == ""


# --- the pages ----------------------------------------------------------------------------------------------------


def _en_url(obj) -> str:
    with translation.override("en"):
        return obj.get_absolute_url()


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def content(db):
    """One untranslated and one translated item of each kind, linked so that every list shows both."""
    lab_it = LabFactory(title="Rigenerazione urbana", subtitle="Per i Comuni piccoli")
    lab_en = LabFactory(title="Beni culturali", title_en="Cultural heritage")
    return {
        "project_it": ProjectFactory(title="Progetto senza traduzione"),
        "project_en": ProjectFactory(title="Progetto tradotto", title_en="Translated project"),
        "lab_it": lab_it,
        "lab_en": lab_en,
        "meeting_it": MeetingFactory(lab=lab_it, title="Incontro di apertura"),
        "meeting_en": MeetingFactory(lab=lab_it, title="Incontro finale", title_en="Closing meeting"),
        # The home page lists labs with a meeting open for registration.
        "meeting_of_lab_en": MeetingFactory(lab=lab_en, title="Incontro unico", title_en="Only meeting"),
        "publication_it": PublicationFactory(title="Guida ai bandi"),
        "publication_en": PublicationFactory(title="Guida tradotta", title_en="Translated guide"),
        "article_it": ArticleFactory(title="Notizia senza traduzione"),
        "article_en": ArticleFactory(title="Notizia tradotta", title_en="Translated news"),
        "service_it": ServiceFactory(title="Sportello europa"),
        "service_en": ServiceFactory(title="Servizio tradotto", title_en="Translated service"),
    }


def test_project_cards_and_detail_on_english_pages(client, content):
    it, en = content["project_it"], content["project_en"]
    html = _get(client, "/en/progetti/")
    assert f'<h3 class="it-card-title h5" lang="it"><a href="{_en_url(it)}">Progetto senza traduzione</a></h3>' in html
    assert f'<h3 class="it-card-title h5"><a href="{_en_url(en)}">Translated project</a></h3>' in html
    assert '<p class="it-card-text" lang="it">Un progetto per i Comuni lombardi.</p>' in html
    html = _get(client, _en_url(it))
    assert '<h1 lang="it">Progetto senza traduzione</h1>' in html
    assert '<li class="breadcrumb-item active" aria-current="page" lang="it">Progetto senza traduzione</li>' in html
    html = _get(client, _en_url(en))
    assert "<h1>Translated project</h1>" in html
    assert '<li class="breadcrumb-item active" aria-current="page">Translated project</li>' in html


def test_the_cached_project_card_follows_the_language(client, content):
    # The card fragment is cached per language: the Italian one, rendered first, must not leak into English.
    url = content["project_it"].get_absolute_url()
    html = _get(client, "/progetti/")
    assert f'<h3 class="it-card-title h5"><a href="{url}">Progetto senza traduzione</a></h3>' in html
    html = _get(client, "/en/progetti/")
    assert f'<h3 class="it-card-title h5" lang="it"><a href="{_en_url(content["project_it"])}">' in html


def test_lab_list_and_detail_on_english_pages(client, content):
    it, en = content["lab_it"], content["lab_en"]
    html = _get(client, "/en/laboratori/")
    assert f'<h2 class="it-card-title h5" lang="it"><a href="{_en_url(it)}">Rigenerazione urbana</a></h2>' in html
    assert f'<h2 class="it-card-title h5"><a href="{_en_url(en)}">Cultural heritage</a></h2>' in html
    assert '<p class="it-card-subtitle" lang="it">Per i Comuni piccoli</p>' in html
    html = _get(client, _en_url(it))
    assert '<h1 lang="it">Rigenerazione urbana</h1>' in html
    assert '<p class="lead" lang="it">Per i Comuni piccoli</p>' in html
    assert '<div lang="it"><p>Un laboratorio per amministratori e funzionari.</p></div>' in html
    assert '<li class="breadcrumb-item active" aria-current="page" lang="it">Rigenerazione urbana</li>' in html
    # Its meetings: one untranslated, one translated.
    meeting_it, meeting_en = content["meeting_it"], content["meeting_en"]
    assert f'<p class="h5 mb-1"><a href="{_en_url(meeting_it)}" lang="it">Incontro di apertura</a>' in html
    assert f'<p class="h5 mb-1"><a href="{_en_url(meeting_en)}">Closing meeting</a>' in html
    assert '<span class="fw-semibold" lang="it">Incontro di apertura</span>' in html
    assert '<span class="fw-semibold">Closing meeting</span>' in html
    html = _get(client, _en_url(en))
    assert "<h1>Cultural heritage</h1>" in html


def test_meeting_detail_on_english_pages(client, content):
    meeting_it, meeting_en = content["meeting_it"], content["meeting_en"]
    meeting_it.agenda = "Presentazione del laboratorio."
    meeting_it.save()
    html = _get(client, _en_url(meeting_it))
    assert '<h1 lang="it">Incontro di apertura</h1>' in html
    assert '<div lang="it"><p>Presentazione del laboratorio.</p></div>' in html
    assert f'<a href="{_en_url(content["lab_it"])}" lang="it">Rigenerazione urbana</a>' in html
    html = _get(client, _en_url(meeting_en))
    assert "<h1>Closing meeting</h1>" in html


def test_publications_on_english_pages(client, content):
    it, en = content["publication_it"], content["publication_en"]
    html = _get(client, "/en/pubblicazioni/")
    assert f'<h3 class="it-card-title h5" lang="it"><a href="{_en_url(it)}">Guida ai bandi</a></h3>' in html
    assert f'<h3 class="it-card-title h5"><a href="{_en_url(en)}">Translated guide</a></h3>' in html
    assert '<h1 lang="it">Guida ai bandi</h1>' in _get(client, _en_url(it))
    assert "<h1>Translated guide</h1>" in _get(client, _en_url(en))


def test_news_on_english_pages(client, content):
    it, en = content["article_it"], content["article_en"]
    html = _get(client, "/en/notizie/")
    assert f'<h2 class="it-card-title h5" lang="it"><a href="{_en_url(it)}">Notizia senza traduzione</a></h2>' in html
    assert f'<h2 class="it-card-title h5"><a href="{_en_url(en)}">Translated news</a></h2>' in html
    html = _get(client, _en_url(it))
    assert '<h1 lang="it">Notizia senza traduzione</h1>' in html
    assert '<div class="portal-article-body" lang="it"><p>Testo della notizia.</p></div>' in html
    assert "<h1>Translated news</h1>" in _get(client, _en_url(en))


def test_services_on_english_pages(client, content):
    it, en = content["service_it"], content["service_en"]
    html = _get(client, "/en/servizi/")
    assert f'<h2 class="it-card-title h5" lang="it"><a href="{_en_url(it)}">Sportello europa</a></h2>' in html
    assert f'<h2 class="it-card-title h5"><a href="{_en_url(en)}">Translated service</a></h2>' in html
    assert '<h1 lang="it">Sportello europa</h1>' in _get(client, _en_url(it))
    assert "<h1>Translated service</h1>" in _get(client, _en_url(en))


def test_home_lists_on_english_pages(client, content):
    html = _get(client, "/en/")
    meeting_it, meeting_en = content["meeting_it"], content["meeting_en"]
    assert f'<p class="h5 mb-1" lang="it"><a href="{_en_url(meeting_it)}">Incontro di apertura</a></p>' in html
    assert f'<p class="h5 mb-1"><a href="{_en_url(meeting_en)}">Closing meeting</a></p>' in html
    assert f'<h3 class="it-card-title h5" lang="it"><a href="{_en_url(content["lab_it"])}">' in html
    assert f'<h3 class="it-card-title h5"><a href="{_en_url(content["lab_en"])}">Cultural heritage</a></h3>' in html
    assert '<p class="h5 mb-1"><a href="{}">Translated project</a></p>'.format(_en_url(content["project_en"])) in html
    assert '<p class="h5 mb-1" lang="it"><a href="{}">'.format(_en_url(content["project_it"])) in html
    assert '<p class="h5 mb-1" lang="it"><a href="{}">'.format(_en_url(content["publication_it"])) in html


def test_italian_pages_get_no_attribute(client, content):
    urls = ["/", "/progetti/", "/laboratori/", "/pubblicazioni/", "/notizie/", "/servizi/"]
    urls += [obj.get_absolute_url() for obj in content.values()]
    for url in urls:
        html = _get(client, url)
        assert html.count(' lang="it"') == ITALIAN_CHROME, url


def test_search_results_on_english_pages(client, content):
    it, en = content["project_it"], content["project_en"]
    html = _get(client, "/en/cerca/?q=Progetto")
    assert f'<a href="{_en_url(it)}" lang="it">Progetto senza traduzione</a>' in html
    assert f'<a href="{_en_url(en)}">Translated project</a>' in html
    assert '<span class="small" lang="it">Un progetto per i Comuni lombardi.</span>' in html
