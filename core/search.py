"""Full-text search helpers shared by the apps: PostgreSQL's Italian configuration where available, a plain
``icontains`` fallback on SQLite. Each app decides what it searches (projects/search.py for the catalogue,
website/search.py for /cerca/)."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models

SEARCH_CONFIG = "italian"
# Longer input is cut: nobody types 200 characters into a search box, and it bounds the work per request.
MAX_QUERY_LENGTH = 200
MAX_PREFIX_WORDS = 10
WORD = re.compile(r"[^\W_]+")


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(raw: str | None) -> str:
    """Collapse white space and drop control characters: PostgreSQL refuses a NUL byte in a text parameter."""
    text = "".join(char for char in (raw or "") if char.isprintable() or char.isspace())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def text_query(q: str) -> SearchQuery:
    """The person's words as typed ("websearch": quotes, "or", a stray minus never raise a syntax error), OR every
    word as a stemmed prefix.

    The prefix half is needed because the Italian Snowball stemmer is not consistent across forms of one word:
    "laboratorio" -> 'laborator' but "laboratori" -> 'labor'; as a prefix, 'labor':* finds both. Words are reduced to
    letters and digits before they enter the raw tsquery syntax, so nothing typed can inject an operator.
    """
    query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
    words = WORD.findall(q)[:MAX_PREFIX_WORDS]
    if words:
        prefixes = " & ".join(f"{word}:*" for word in words)
        query = query | SearchQuery(prefixes, config=SEARCH_CONFIG, search_type="raw")
    return query


def _weighted_vector(fields: list[tuple[str, str]]) -> SearchVector:
    vector = None
    for name, weight in fields:
        part = SearchVector(name, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def search_queryset(queryset: models.QuerySet, q: str, fields: list[tuple[str, str]]) -> models.QuerySet:
    """Rows of ``queryset`` matching ``q``; on PostgreSQL annotated with ``rank`` (higher is better).

    ``fields`` are (field name, weight) pairs; on SQLite any field containing the whole text matches.
    """
    if not q:
        return queryset
    if is_postgres():
        vector, query = _weighted_vector(fields), text_query(q)
        return queryset.alias(search=vector).filter(search=query).annotate(rank=SearchRank(vector, query))
    condition = models.Q()
    for name, _weight in fields:
        condition |= models.Q(**{f"{name}__icontains": q})
    return queryset.filter(condition)
