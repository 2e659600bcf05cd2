"""The versioned cache: the per-process tier (versions, pages), the bumps after commit, and what a stored page keeps."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from django.utils.cache import patch_vary_headers

from core import cache as portal_cache
from core.cache import (
    SEATS_VERSION_KEY,
    VERSION_KEY,
    bump_content_version,
    bump_seats_version,
    cached_fragment,
    cached_fragments,
    cached_page,
    clear_local_tier,
    content_version,
    seats_version,
)


@pytest.mark.django_db(transaction=True)
def test_a_process_trusts_its_copy_of_the_version_for_cache_local_seconds(settings):
    settings.CACHE_LOCAL_SECONDS = 3600
    first = content_version()
    cache.incr(portal_cache.VERSION_KEY)  # another process bumps the shared counter
    assert content_version() == first  # this one keeps its copy until CACHE_LOCAL_SECONDS pass
    bump_content_version()  # ...but an edit made here is seen here at once
    assert content_version() == first + 3  # the other bump, this one, and the after-commit one (no transaction)


def test_without_the_local_tier_every_read_goes_to_the_shared_cache(settings):
    settings.CACHE_LOCAL_SECONDS = 0
    first = content_version()
    cache.incr(VERSION_KEY)
    assert content_version() == first + 1


@pytest.mark.django_db(transaction=True)
def test_the_seats_version_moves_only_when_the_transaction_commits():
    before = seats_version()
    with transaction.atomic():
        bump_seats_version()
        assert cache.get(SEATS_VERSION_KEY) == before
    assert seats_version() == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        bump_seats_version()
        raise RuntimeError("rolled back")
    assert seats_version() == before + 1


@pytest.mark.django_db(transaction=True)
def test_the_content_version_moves_now_and_again_at_commit():
    before = content_version()
    with transaction.atomic():
        bump_content_version()
        assert content_version() == before + 1
    assert content_version() == before + 2


@pytest.mark.django_db
def test_a_page_this_process_holds_is_served_before_url_resolution(client):
    from django.urls import reverse

    first = client.get(reverse("projects:list"), {"stato": "ongoing"})
    assert first.wsgi_request.resolver_match is not None  # rendered by the view
    again = client.get(reverse("projects:list"), {"stato": "ongoing"})
    assert again.wsgi_request.resolver_match is None  # LocalPageMiddleware answered: no URL resolution, no view
    assert again.content == first.content
    assert again["Content-Security-Policy"] != first["Content-Security-Policy"]  # a fresh nonce all the same
    assert again["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_visitor_with_a_session_is_checked_before_the_local_tier_answers(client, admin_client):
    from django.urls import reverse

    client.get(reverse("projects:list"))
    staff_page = admin_client.get(reverse("projects:list"))
    assert staff_page.wsgi_request.resolver_match is not None
    assert staff_page.context is not None  # rendered for the staff member, not the anonymous copy


@pytest.mark.django_db
def test_a_query_string_with_parameters_the_page_does_not_read_is_rendered_but_not_stored(client):
    from django.urls import reverse

    url = reverse("projects:list")
    client.get(url, {"stato": "ongoing", "utm_source": "newsletter"})
    again = client.get(url, {"stato": "ongoing", "utm_source": "newsletter"})
    assert again.context is not None  # rendered again: nobody can fill the cache with copies of one page
    client.get(url, {"stato": "ongoing", "budget_min": "5"})
    assert client.get(url, {"stato": "ongoing", "budget_min": "5"}).context is None  # a real filter is stored
    home = reverse("home")
    client.get(home, {"x": "1"})
    assert client.get(home, {"x": "1"}).context is not None


@pytest.mark.django_db
def test_every_cache_key_expires_except_the_versions(client, settings, redis_cache):
    """docker-compose runs Redis with maxmemory and the volatile-lru policy: under memory pressure Redis evicts keys
    that have a TTL (pages, cards, fragments, PDFs, rate-limit windows) and never the ones without (the two version
    counters, Celery's queues). That is only safe while every cache write but the versions sets a timeout."""
    from django.urls import reverse

    from tests.factories import LabFactory, MeetingFactory, ProjectFactory

    lab = LabFactory()
    meeting = MeetingFactory(lab=lab)
    ProjectFactory()
    for url in (
        reverse("home"),
        reverse("projects:list"),
        reverse("projects:list") + "?stato=ongoing",
        lab.get_absolute_url(),
        meeting.get_absolute_url(),
        reverse("labs:list"),
        "/sitemap.xml",
        f"/laboratori/{lab.slug}/programma.pdf",
        "/en/progetti/",
    ):
        assert client.get(url).status_code == 200, url
    redis = cache._cache.get_client()
    prefix = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:1:"
    keys = [key.decode() for key in redis.scan_iter(match=f"{prefix}*")]
    lasting = sorted(key.removeprefix(prefix) for key in keys if redis.ttl(key) == -1)
    assert lasting == sorted([VERSION_KEY, SEATS_VERSION_KEY])
    assert len(keys) > 10  # pages, cards, choices, fragments, the programme PDF


@pytest.mark.django_db
def test_with_cache_local_pages_at_zero_every_page_comes_from_the_shared_cache(client, settings):
    from django.urls import reverse

    settings.CACHE_LOCAL_PAGES = 0
    client.get(reverse("projects:list"))
    again = client.get(reverse("projects:list"))
    assert again.wsgi_request.resolver_match is not None  # not answered by LocalPageMiddleware
    assert again.context is None  # but still served from the shared cache, not rendered


# --- Fragments: the process keeps its copy, keyed by the content version like the shared one ------------------------------
@pytest.mark.django_db
def test_a_fragment_is_kept_in_the_process_until_the_content_version_moves():
    built = []
    assert cached_fragment("choices", lambda: built.append(1) or ["a"]) == ["a"]
    cache.clear()  # the shared copy is gone; this process still holds its own for this version
    assert cached_fragment("choices", lambda: built.append(1) or ["b"]) == ["a"]
    assert built == [1]
    bump_content_version()
    assert cached_fragment("choices", lambda: built.append(1) or ["c"]) == ["c"]
    assert built == [1, 1]


def test_cards_come_from_the_process_then_the_shared_cache_then_the_builder():
    asked = []

    def build(ids):
        asked.append(list(ids))
        return {pk: f"card {pk}" for pk in ids}

    assert cached_fragments("card", [1, 2], build) == {1: "card 1", 2: "card 2"}
    cache.clear()  # only the process's copies remain
    assert cached_fragments("card", [1, 2, 3], build) == {1: "card 1", 2: "card 2", 3: "card 3"}
    clear_local_tier()  # only the shared copy of card 3 remains (and the shared version)
    assert cached_fragments("card", [3, 1], build) == {3: "card 3", 1: "card 1"}
    assert asked == [[1, 2], [3], [1]]


def test_with_cache_local_pages_at_zero_fragments_live_only_in_the_shared_cache(settings):
    settings.CACHE_LOCAL_PAGES = 0
    cached_fragment("choices", lambda: ["a"])
    cached_fragments("card", [1], lambda ids: dict.fromkeys(ids, "x"))
    cache.clear()
    assert cached_fragment("choices", lambda: ["rebuilt"]) == ["rebuilt"]
    assert cached_fragments("card", [1], lambda ids: dict.fromkeys(ids, "rebuilt")) == {1: "rebuilt"}


# --- A stored page answers with the headers its view set ---------------------------------------------------------------
@cached_page(60)
def _view_with_headers(request):
    response = HttpResponse("<p>pagina</p>", content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    response["Content-Language"] = "it"
    response["X-Robots-Tag"] = "noindex"
    response["Link"] = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    patch_vary_headers(response, ["Accept-Language"])
    return response


@cached_page(60)
def _view_setting_a_cookie(request):
    response = HttpResponse("<p>pagina</p>")
    response.set_cookie("scelta", "1")
    return response


urlpatterns = [path("con-intestazioni/", _view_with_headers), path("con-cookie/", _view_setting_a_cookie)]


def _headers(response) -> dict[str, str]:
    """Every header but the CSP, whose nonce is fresh on each answer by design."""
    return {name: value for name, value in response.items() if not name.startswith("Content-Security-Policy")}


@pytest.mark.urls(__name__)
def test_a_page_from_the_local_tier_or_the_shared_cache_keeps_the_headers_its_view_set(client):
    first = client.get("/con-intestazioni/")
    assert first.wsgi_request.resolver_match is not None
    local = client.get("/con-intestazioni/")
    assert local.wsgi_request.resolver_match is None  # answered by LocalPageMiddleware
    clear_local_tier()
    shared = client.get("/con-intestazioni/")
    assert shared.wsgi_request.resolver_match is not None  # the view's decorator found it in the shared cache
    assert shared.content == local.content == first.content == b"<p>pagina</p>"
    assert first["X-Robots-Tag"] == "noindex"
    assert first["Cache-Control"] == "public, max-age=60"
    assert _headers(local) == _headers(first)
    assert _headers(shared) == _headers(first)


@pytest.mark.urls(__name__)
def test_a_page_that_sets_a_cookie_is_never_stored(client):
    client.get("/con-cookie/")
    again = client.get("/con-cookie/")
    assert again.wsgi_request.resolver_match is not None
    assert again.cookies["scelta"].value == "1"  # rendered again: the cookie belongs to one visitor
    assert cache.get(portal_cache._page_key(portal_cache._request_digest(again.wsgi_request), False)) is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "projects:list", "labs:list"])
def test_a_real_page_answers_with_the_same_headers_from_every_tier(client, name):
    from django.urls import reverse

    first = client.get(reverse(name))
    local = client.get(reverse(name))
    assert local.wsgi_request.resolver_match is None
    clear_local_tier()
    shared = client.get(reverse(name))
    assert shared.context is None  # from the shared cache, not rendered
    assert _headers(local) == _headers(first)
    assert _headers(shared) == _headers(first)
