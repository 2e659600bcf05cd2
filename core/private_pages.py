"""The response headers of pages whose URL or content is a key to somebody's data: a registration's token pages (manage,
confirm, cancel, survey, participant certificate) and the certificate verification pages. One definition, so every
such page keeps out of shared caches, search indexes and other sites' Referer headers alike."""

from __future__ import annotations

from django.http import HttpResponse

PRIVATE_PAGE_HEADERS = {
    # The token in the URL is the key to the registration: keep the page out of caches, indexes and Referer headers.
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex",
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" and our own CSRF check refuses
    # the page's POST forms. Cross-origin requests (the online meeting link) still get no Referer at all.
    "Referrer-Policy": "same-origin",
}


def private_page(response: HttpResponse) -> HttpResponse:
    """``response`` with PRIVATE_PAGE_HEADERS set (replacing any value set before), for chaining in a return."""
    for header, value in PRIVATE_PAGE_HEADERS.items():
        response[header] = value
    return response
