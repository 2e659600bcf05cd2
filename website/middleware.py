"""Cache-Control and compression of the portal's own responses (static files are whitenoise's: long-cached and
precompressed at collectstatic).

Cache-Control, for an HTML response whose view did not choose one (the token pages, PDFs and the health check do):

- ``public, max-age=60``: a 200 to a visitor who shares pages (anonymous, no pending message: the rule of
  core.cache) whose page used no CSRF token and set no cookie. These are the pages cached_page keeps; 60 s is the
  longest any of them (seats left, registration states) may be stale, as in core.cache.
- ``private, no-cache``: an anonymous page with a form: its CSRF token belongs to one visitor, so no shared cache may
  keep it, while the browser may (and revalidates).
- ``private, no-store``: everything else, i.e. a signed-in person's pages (staff, /le-mie-iscrizioni/) and pages
  with a message for one visitor: personal, never stored anywhere.

Compression (gzip; this deployment has no proxy that compresses, and Django's GZipMiddleware is enough for pages of
tens of KB) is applied to text responses except the ones marked ``no-store`` (personal pages, token pages, the admin).
BREACH needs a secret and attacker-chosen text in one compressed response: the pages compressed here hold no personal
data, and their only secret, the CSRF token, is masked anew in every response by Django, while Django's gzip adds
random padding (Heal The Breach) to the gzip header; personal pages, which may echo their token in links, are sent
uncompressed (they are small).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

from core.cache import _shared_visitor

PUBLIC = "public, max-age=60"
FORM = "private, no-cache"
PERSONAL = "private, no-store"

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/rss+xml",
    "application/xml",
    "image/svg+xml",
)


def _cache_control(request: HttpRequest, response: HttpResponse) -> str:
    # The CSRF middleware (inside this one) has already set the token's cookie on a page that used the token.
    other_cookies = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
    if other_cookies or (getattr(request, "user", None) is not None and not _shared_visitor(request)):
        return PERSONAL
    if settings.CSRF_COOKIE_NAME in response.cookies:
        return FORM
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        return PUBLIC
    return PERSONAL


class PublicPageMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and not response.has_header("Cache-Control"):
            response["Cache-Control"] = _cache_control(request, response)
        if not content_type.startswith(COMPRESSIBLE) or "no-store" in response.get("Cache-Control", ""):
            return response
        return super().process_response(request, response)
