"""Versioned caching of public pages and fragments.

Two counters live in the shared cache (Redis in production):

- the *content version*: any save or delete of public content bumps it;
- the *seats version*: any change to a registration bumps it (pages that show seats left depend on it).

Every cache key includes the versions it depends on, so a bump makes the old entries unreachable (they expire on
their own): cheaper and safer than listing keys to delete.

In front of Redis, each process keeps a small local copy (the "local tier"): the versions, trusted for
``CACHE_LOCAL_SECONDS`` (1 s by default), and the most recently served pages. A warm page then costs no network round
trip at all. The price is that another process may serve the previous version for up to ``CACHE_LOCAL_SECONDS`` after
an edit; the process that made the edit forgets its copy at once. This tier is one of the portal's departures from
stock Django, listed with their measurements, tests and switches in docs/performance.md.

A cache that is down must slow a page, never break it: every helper here swallows cache errors.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
SEATS_VERSION_KEY = "seats-version"
FRAGMENT_TIMEOUT = 24 * 3600


def _local():
    """The per-process tier: Django's local-memory cache (alias "local" in settings.CACHES, bounded by MAX_ENTRIES,
    culled oldest first). It holds the versions (key "version:<name>"), rendered pages ("page2:…") and which pages
    depend on the seats version ("policy:<digest>", learnt by cached_page, read by LocalPageMiddleware, which runs
    before the view and cannot ask it)."""
    return caches["local"]


POLICY_TIMEOUT = 3600


def clear_local_tier() -> None:
    """Forget this process's copies (tests call it between tests, as they clear the shared cache)."""
    _local().clear()


def _keep_page_locally(key: str, entry: tuple, timeout: int) -> None:
    if settings.CACHE_LOCAL_PAGES > 0:  # 0 turns the tier's pages off (a local cache with 0 entries never culls)
        _local().set(key, entry, timeout)


def _read_version(key: str) -> int:
    local = _local().get(f"version:{key}")
    if local is not None:
        return local
    try:
        version = cache.get(key)
        if version is None:
            version = 1
            cache.add(key, version, timeout=None)
        version = int(version)
    except Exception:
        logger.warning("cache unavailable while reading %s", key, exc_info=True)
        return 0
    # Django reads a timeout of 0 as "expire at once": CACHE_LOCAL_SECONDS=0 asks Redis every time.
    _local().set(f"version:{key}", version, settings.CACHE_LOCAL_SECONDS)
    return version


def _bump(key: str) -> None:
    _local().delete(f"version:{key}")
    try:
        cache.incr(key)
    except ValueError:  # the key expired or was never set
        try:
            cache.set(key, 2, timeout=None)
        except Exception:
            logger.warning("cache unavailable while bumping %s", key, exc_info=True)
    except Exception:
        logger.warning("cache unavailable while bumping %s", key, exc_info=True)


def content_version() -> int:
    return _read_version(VERSION_KEY)


def seats_version() -> int:
    return _read_version(SEATS_VERSION_KEY)


def bump_content_version(**kwargs) -> None:
    # Now, so that this process (and a test inside a transaction) sees the edit at once; and again after the commit,
    # because a page rendered between the first bump and the commit read the old rows and stored them under the new
    # version.
    _bump(VERSION_KEY)
    transaction.on_commit(functools.partial(_bump, VERSION_KEY))


def bump_seats_version(**kwargs) -> None:
    # Only after the commit: a registration holds the meeting's row lock, and a Redis call inside it would make every
    # other registration for that meeting wait longer.
    transaction.on_commit(functools.partial(_bump, SEATS_VERSION_KEY))


def cached_fragment(name: str, build: Callable[[], Any]) -> Any:
    """``build()`` once per content version and language; on a cache error build it every time. Kept in the process's
    local tier as well as in the shared cache (docs/performance.md, section 2)."""
    version = content_version()
    key = f"fragment:{name}:{get_language() or 'it'}:{version}"
    local = _local() if settings.CACHE_LOCAL_PAGES > 0 else None
    if local is not None and (value := local.get(key)) is not None:
        return value
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, timeout=FRAGMENT_TIMEOUT)
        except Exception:
            logger.warning("cache unavailable while storing %s", key, exc_info=True)
    if local is not None:
        local.set(key, value, FRAGMENT_TIMEOUT)
    return value


def cached_fragments(name: str, ids: list, build: Callable[[list], dict]) -> dict:
    """One fragment per id (say, a catalogue card), read with one round trip; ``build(missing_ids)`` returns
    ``{id: value}`` for the ones not cached, which are then stored with one round trip. The process keeps its own copy
    too (the local tier), as for whole fragments: the key holds the content version, so a copy is never stale for the
    version this process trusts."""
    prefix = f"fragment:{name}:{get_language() or 'it'}:{content_version()}:"
    keys = {pk: f"{prefix}{pk}" for pk in ids}
    local = _local() if settings.CACHE_LOCAL_PAGES > 0 else None
    values = {}
    if local is not None:
        found = local.get_many(keys.values())
        values = {pk: found[key] for pk, key in keys.items() if key in found}
    wanted = [key for pk, key in keys.items() if pk not in values]
    from_shared = {}
    if wanted:
        try:
            from_shared = cache.get_many(wanted)
        except Exception:  # noqa: BLE001
            return values | build([pk for pk in ids if pk not in values])
    shared_values = {pk: from_shared[key] for pk, key in keys.items() if key in from_shared}
    values.update(shared_values)
    missing = [pk for pk in ids if pk not in values]
    built = {}
    if missing:
        built = build(missing)
        values.update(built)
        try:
            cache.set_many({keys[pk]: value for pk, value in built.items()}, timeout=FRAGMENT_TIMEOUT)
        except Exception:
            logger.warning("cache unavailable while storing %s fragments", name, exc_info=True)
    if local is not None and (shared_values or built):
        local.set_many({keys[pk]: value for pk, value in (shared_values | built).items()}, FRAGMENT_TIMEOUT)
    return values


def _shared_visitor(request: HttpRequest) -> bool:
    """Only anonymous visitors without pending messages share pages (the header shows staff links and messages)."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies:
        return True  # no session and no message cookie: nobody is logged in, no message waits (no session read)
    return not request.user.is_authenticated and not len(messages.get_messages(request))


def _request_digest(request: HttpRequest) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.lists()))
    return hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()[:32]


def _page_key(digest: str, seats: bool) -> str:
    versions = f"{content_version()}.{seats_version()}" if seats else str(content_version())
    # "page2": entries hold the view's headers; a deploy must not read the earlier (content, content type) entries
    # still in Redis under the same versions. They expire on their own.
    return f"page2:{versions}:{digest}"


def _page_entry(response: HttpResponse) -> tuple[bytes, tuple[tuple[str, str], ...]]:
    """What is stored for a page: its bytes and every header the view set (Content-Type, and any Cache-Control,
    Content-Language, Vary, Link, X-Robots-Tag… of its own), so a stored copy answers like the first render. The
    middleware's headers (CSP with its per-request nonce, the security headers, Vary, Content-Language) are not part
    of it: the middleware adds them to every answer, stored or not."""
    return response.content, tuple(response.items())


def _page_response(entry: tuple) -> HttpResponse:
    content, headers = entry
    return HttpResponse(content, headers=dict(headers))


def cached_page(timeout: int, *, seats: bool = False, params: Iterable[str] = ()):
    """Serve a 200 page from the cache, or render it and keep it for ``timeout`` seconds.

    ``seats=True`` for pages that show seats left or registration states: they are also keyed by the seats version,
    and ``timeout`` should be short, because a registration window opening or closing changes them with no write.
    ``params`` are the query parameters the page reads. A query string with any other one (utm_source, a typo, a
    crawler's random parameter) is rendered but not stored: otherwise anybody could fill Redis with copies of one page.
    A response that used the CSRF token or sets a cookie is never stored: the token and the cookie belong to one
    visitor. A stored page keeps the headers its view set (see _page_entry).
    Two parameters could still make a key per request (issue 14): ``page`` is stored only when it names the page the
    view actually served (page=1001 of a 3-page list shows page 3 and is not stored; see _served_page), and a
    non-empty free-text ``q`` is never stored (every query would be a new key).
    """
    accepted = frozenset(params)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            key = None
            if accepted.issuperset(request.GET.keys()) and _shared_visitor(request):
                digest = _request_digest(request)
                _local().set(f"policy:{digest}", seats, POLICY_TIMEOUT)
                key = _page_key(digest, seats)
                hit = _local().get(key)
                if hit is None:
                    try:
                        hit = cache.get(key)
                    except Exception:  # noqa: BLE001 - a cache that is down slows the page, it does not break it
                        hit = None
                    if hit is not None:
                        _keep_page_locally(key, hit, timeout)
                if hit is not None:
                    return _page_response(hit)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()  # a class-based view's TemplateResponse
            if (
                key
                and response.status_code == 200
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and _bounded_query(request, response)
            ):
                entry = _page_entry(response)
                _keep_page_locally(key, entry, timeout)
                try:
                    cache.set(key, entry, timeout)
                except Exception:
                    logger.warning("cache unavailable while storing %s", request.path, exc_info=True)
            return response

        return wrapper

    return decorator


def served_page(request: HttpRequest, number: int) -> None:
    """A function-based view tells cached_page which page of its list it rendered (class-based list views need not:
    their page_obj is read from the response)."""
    request.served_page = number


def _served_page(request: HttpRequest, response) -> int | None:
    context = getattr(response, "context_data", None) or {}
    page_obj = context.get("page_obj")
    if page_obj is not None:
        return page_obj.number
    return getattr(request, "served_page", None)


def _bounded_query(request: HttpRequest, response) -> bool:
    """False for a query string that could make unboundedly many keys: a free-text q, or a page other than the one
    served (out of range, "abc", "01")."""
    if request.GET.get("q", "").strip():
        return False
    if "page" in request.GET:
        return request.GET.get("page") == str(_served_page(request, response))
    return True


class LocalPageMiddleware:
    """Serves a page this process holds in its local tier before Django resolves the URL and runs the view's
    decorators (the same idea as Django's FetchFromCacheMiddleware, and like it the last middleware, so the response
    still gets every other middleware's headers). Only pages cached_page has already stored are found here: it learns
    from the view which versions a page depends on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method == "GET" and settings.CACHE_LOCAL_PAGES > 0:
            digest = _request_digest(request)
            seats = _local().get(f"policy:{digest}")
            if seats is not None and _shared_visitor(request):
                hit = _local().get(_page_key(digest, seats))
                if hit is not None:
                    return _page_response(hit)
        return self.get_response(request)


def track_content(*models, m2m=()) -> None:
    """Called from each domain app's ready(): saving or deleting one of ``models`` (or changing one of the ``m2m``
    through tables) bumps the content version, so every cached public page and fragment built from it is replaced."""
    for model in models:
        uid = f"content-version-{model._meta.label}"
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-delete")
    for through in m2m:
        m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"content-version-{through._meta.label}")


def track_seats(model) -> None:
    """Called from the registrations app: any change to one of its rows bumps the seats version (after commit)."""
    post_save.connect(bump_seats_version, sender=model, dispatch_uid="seats-version-save")
    post_delete.connect(bump_seats_version, sender=model, dispatch_uid="seats-version-delete")
