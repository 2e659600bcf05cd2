"""Suggestions for the "Ente" field: GET /iscrizioni/enti/?q=berg → at most 10 bodies of the ISTAT list as JSON.

Public, anonymous and the same for everybody: the answer is cacheable by browsers and shared caches for a day, so a
person typing "b", "be", "ber" costs the server a few cheap lookups once per query and nothing afterwards. The data
changes only with a deploy (registrations/data/), so a day-old answer is never wrong for long.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from .municipalities import SEARCH_LIMIT, search

MAX_QUERY = 100
MAX_AGE = 24 * 60 * 60


@require_GET
def suggestions(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY:
        return JsonResponse({"error": f"q: at most {MAX_QUERY} characters"}, status=400)
    results = [
        {"label": body.label, "code": body.istat_code, "kind": body.kind, "province": body.province}
        for body in search(query, limit=SEARCH_LIMIT)
    ]
    response = JsonResponse({"query": query, "results": results})
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
