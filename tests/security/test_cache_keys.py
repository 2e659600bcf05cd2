"""Findings 4 and 6: no cache key holds the request's Host, an out-of-range page or a free-text query."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from core import cache as core_cache
from tests.factories import LabFactory, ProjectFactory
from tests.hostile import payloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_keys(monkeypatch):
    """The keys written to the shared cache during the test (the real cache.set still runs)."""
    keys: list[str] = []
    original = cache.set

    def recording(key, *args, **kwargs):
        keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(core_cache.cache, "set", recording)
    return keys


def test_the_sitemap_is_one_cache_entry_with_site_url_links_whatever_the_host(client, settings, stored_keys):
    settings.SITE_URL = "https://lab.ancilombardia.example"
    LabFactory(slug="beni")
    bodies = [
        client.get("/sitemap.xml", HTTP_HOST=host).content.decode()
        for host in ("localhost", "testserver", *payloads.HOSTS)
    ]
    assert len({key for key in stored_keys if "sitemap" in key}) == 1
    for body in bodies:
        assert "<loc>https://lab.ancilombardia.example/laboratori/beni/</loc>" in body
        assert "31337" not in body and "localhost" not in body


def test_robots_txt_points_to_the_site_url_sitemap(client, settings):
    settings.SITE_URL = "https://lab.ancilombardia.example"
    body = client.get("/robots.txt", HTTP_HOST="127.0.0.1:31337").content.decode()
    assert "Sitemap: https://lab.ancilombardia.example/sitemap.xml" in body


def test_out_of_range_pages_create_no_cache_key(client, stored_keys):
    ProjectFactory()
    for page in [*range(1001, 1051), *payloads.PAGES]:
        assert client.get("/progetti/", {"page": page}).status_code == 200
    assert [key for key in stored_keys if key.startswith("page2:")] == []
    client.get("/progetti/", {"page": "1"})
    assert len([key for key in stored_keys if key.startswith("page2:")]) == 1


def test_free_text_queries_create_no_cache_key(client, stored_keys):
    ProjectFactory(title="Welfare di comunità")
    for q in ("zzqx1", "zzqx2", "welfare"):
        assert client.get("/progetti/", {"q": q}).status_code == 200
    assert [key for key in stored_keys if key.startswith("page2:")] == []
