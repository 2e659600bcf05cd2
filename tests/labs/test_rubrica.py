"""The lab's rubrica: the published news that point to the lab, newest first, on the lab page and as a per-lab RSS
feed that the page links with <link rel="alternate">."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import ArticleFactory, LabFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _italian():
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture
def rubrica():
    lab = LabFactory(slug="beni-culturali", title="Beni culturali", title_en="Cultural heritage")
    other = LabFactory(slug="altro-lab")
    today = timezone.localdate()
    old = ArticleFactory(
        slug="vecchia", title="Notizia vecchia", date=datetime.date(2021, 9, 28), summary="Il primo incontro."
    )
    new = ArticleFactory(
        slug="nuova",
        title="Notizia nuova",
        title_en="New item",
        date=datetime.date(2022, 3, 1),
        summary="Il volume finale.",
        summary_en="The final volume.",
    )
    hidden = ArticleFactory(slug="bozza", title="Bozza", date=datetime.date(2022, 4, 1), published=False)
    future = ArticleFactory(slug="domani", title="Notizia di domani", date=today + datetime.timedelta(days=1))
    elsewhere = ArticleFactory(slug="altrove", title="Notizia di un altro laboratorio", date=datetime.date(2022, 5, 1))
    for article in (old, new, hidden, future):
        article.labs.add(lab)
    elsewhere.labs.add(other)
    return lab


def _get(client, url: str) -> str:
    response = client.get(url)
    translation.activate("it")
    assert response.status_code == 200, url
    return response.content.decode()


def _section(html: str) -> str:
    return html.split('<section id="rubrica"', 1)[1].split("</section>", 1)[0]


def test_lab_page_lists_the_published_news_of_the_lab_newest_first(client, rubrica):
    html = _get(client, rubrica.get_absolute_url())
    section = _section(html)
    titles = [chunk.split(">", 1)[1].split("<", 1)[0] for chunk in section.split('<p class="h5 mb-1"><a ')[1:]]
    assert titles == ["Notizia nuova", "Notizia vecchia"]
    assert '<time datetime="2022-03-01">1 marzo 2022</time>' in section
    assert '<p class="mb-0">Il volume finale.</p>' in section
    assert '<a class="nav-link" href="#rubrica"><span>Rubrica</span></a>' in html
    assert '<a href="/laboratori/beni-culturali/feed/">' in section


def test_lab_page_links_its_feed_in_the_head(client, rubrica):
    html = _get(client, rubrica.get_absolute_url())
    head = html.split("</head>", 1)[0]
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Rubrica del laboratorio «Beni culturali»" '
        'href="/laboratori/beni-culturali/feed/">'
    ) in head


def test_a_lab_without_news_has_no_rubrica_section(client):
    lab = LabFactory()
    html = _get(client, lab.get_absolute_url())
    assert 'id="rubrica"' not in html
    assert 'href="#rubrica"' not in html


def test_english_lab_page_shows_english_titles_and_marks_italian_fallbacks(client, rubrica):
    with translation.override("en"):
        url = rubrica.get_absolute_url()
    section = _section(_get(client, url))
    assert '<p class="h5 mb-1"><a href="/en/notizie/nuova/">New item</a></p>' in section
    assert '<p class="mb-0">The final volume.</p>' in section
    assert '<p class="h5 mb-1"><a href="/en/notizie/vecchia/" lang="it">Notizia vecchia</a></p>' in section
    assert '<p class="mb-0" lang="it">Il primo incontro.</p>' in section


def test_the_lab_feed_lists_exactly_the_labs_published_news(client, rubrica):
    root = ET.fromstring(_get(client, reverse("labs:rubrica_feed", args=["beni-culturali"])))  # noqa: S314 (the portal's own feed)
    channel = root.find("channel")
    assert channel.findtext("title") == "Rubrica del laboratorio «Beni culturali»"
    assert channel.findtext("link") == "http://testserver/laboratori/beni-culturali/"
    items = [
        (item.findtext("title"), item.findtext("link"), item.findtext("description"), item.findtext("pubDate"))
        for item in channel.findall("item")
    ]
    assert items == [
        ("Notizia nuova", "http://testserver/notizie/nuova/", "Il volume finale.", "Tue, 01 Mar 2022 09:00:00 +0100"),
        (
            "Notizia vecchia",
            "http://testserver/notizie/vecchia/",
            "Il primo incontro.",
            "Tue, 28 Sep 2021 09:00:00 +0200",
        ),
    ]


def test_the_english_lab_feed_is_in_english(client, rubrica):
    root = ET.fromstring(_get(client, "/en/laboratori/beni-culturali/feed/"))  # noqa: S314 (the portal's own feed)
    channel = root.find("channel")
    assert channel.findtext("title") == "News of the lab “Cultural heritage”"
    assert [item.findtext("title") for item in channel.findall("item")] == ["New item", "Notizia vecchia"]


def test_the_feed_of_an_unpublished_or_unknown_lab_is_404(client):
    lab = LabFactory(published=False)
    assert client.get(reverse("labs:rubrica_feed", args=[lab.slug])).status_code == 404
    assert client.get(reverse("labs:rubrica_feed", args=["nessuno"])).status_code == 404


def test_adding_a_lab_to_a_news_item_refreshes_the_cached_lab_page(client):
    lab = LabFactory()
    article = ArticleFactory(title="Notizia aggiunta dopo")
    assert "Notizia aggiunta dopo" not in _get(client, lab.get_absolute_url())
    article.labs.add(lab)
    assert "Notizia aggiunta dopo" in _get(client, lab.get_absolute_url())
