"""/sitemap.xml is cached per content version and day, with SITE_URL links whatever the Host (website/urls.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import ArticleFactory, LabFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    """The sitemap's absolute URLs come from SITE_URL (see test_every_host_gets_the_site_url_absolute_urls)."""
    settings.SITE_URL = "http://testserver"


URL = "/sitemap.xml"


def test_the_url_name():
    assert reverse("sitemap") == URL


def test_the_second_request_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    lab = LabFactory(slug="beni")
    MeetingFactory(lab=lab)
    first = client.get(URL)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(URL)
    assert second.status_code == 200
    assert second.content == first.content
    assert "<loc>http://testserver/laboratori/beni/</loc>" in second.content.decode()
    # The sitemap view's own headers come back with the cached content.
    assert (first["Content-Type"], first["X-Robots-Tag"]) == ("application/xml", "noindex, noodp, noarchive")
    assert (second["Content-Type"], second["X-Robots-Tag"]) == ("application/xml", "noindex, noodp, noarchive")


def test_a_content_save_shows_up_at_the_next_request(client):
    lab = LabFactory(slug="beni", title="Beni culturali")
    assert "/laboratori/beni/" in client.get(URL).content.decode()
    LabFactory(slug="nuovo")
    xml = client.get(URL).content.decode()
    assert "<loc>http://testserver/laboratori/nuovo/</loc>" in xml
    lab.published = False
    lab.save()
    xml = client.get(URL).content.decode()
    assert "/laboratori/beni/" not in xml
    assert "<loc>http://testserver/laboratori/nuovo/</loc>" in xml


def test_every_host_gets_the_site_url_absolute_urls(client):
    # The Host header never reaches the sitemap (issue 14): SITE_URL does.
    LabFactory(slug="beni")
    assert "<loc>http://testserver/laboratori/beni/</loc>" in client.get(URL).content.decode()
    other = client.get(URL, HTTP_HOST="localhost").content.decode()
    assert "<loc>http://testserver/laboratori/beni/</loc>" in other
    assert "localhost" not in other


def test_news_dated_tomorrow_join_the_sitemap_on_their_date_without_a_save(client):
    with freeze_time("2026-03-10 12:00:00+01:00"):
        ArticleFactory(slug="domani", date=datetime.date(2026, 3, 11))
        assert "/notizie/domani/" not in client.get(URL).content.decode()
    with freeze_time("2026-03-11 08:00:00+01:00"):
        assert "<loc>http://testserver/notizie/domani/</loc>" in client.get(URL).content.decode()


def test_a_query_string_is_rendered_every_time(client, django_assert_num_queries):
    """?p= (or noise) never reaches the cache: arbitrary query strings must not fill it."""
    LabFactory(slug="beni")
    client.get(URL)
    with django_assert_num_queries(6):  # one per section with items from the database
        xml = client.get(URL, {"p": "1"}).content.decode()
    assert "<loc>http://testserver/laboratori/beni/</loc>" in xml
    assert client.get(URL, {"p": "99"}).status_code == 404
