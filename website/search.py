"""Full-text search: PostgreSQL's Italian configuration where available, a plain ``icontains`` fallback on SQLite.

The catalogue's weighted vector (title A, acronym A, summary B, description C) is stored in the ``search_vector``
column that a trigger keeps up to date and a GIN index covers (migration 0004, PostgreSQL only): computing it per row
at query time took seconds on 10,000 projects for a common word. Other content types are small and use expressions.

``site_search()`` powers /cerca/: one group per content type, each with its total and its first results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from labs.models import Lab
from projects.models import Project, Service
from publications.models import Article, Publication

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


def project_search_vector() -> SearchVector:
    """The weighted vector as an expression; migration 0003 indexed it, 0004 replaced it by a stored column."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("acronym", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
    )


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


PROJECT_FIELDS = [("title", "A"), ("acronym", "A"), ("summary", "B"), ("description", "C")]


def stored_project_vector() -> RawSQL:
    """The trigger-maintained ``search_vector`` column (migration 0004; PostgreSQL only, not a model field)."""
    return RawSQL('"projects_project"."search_vector"', [], output_field=SearchVectorField())


def search_projects(queryset: models.QuerySet, q: str) -> models.QuerySet:
    if not q or not is_postgres():
        return search_queryset(queryset, q, PROJECT_FIELDS)
    vector, query = stored_project_vector(), text_query(q)
    return queryset.alias(search=vector).filter(search=query).annotate(rank=SearchRank(vector, query))


# --- /cerca/ ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    text: str
    # The object and the field behind ``text``: the template marks Italian fallback text lang="it" on English pages.
    obj: object = None
    text_field: str = "summary"


@dataclass
class SearchGroup:
    key: str
    label: str
    total: int
    results: list = field(default_factory=list)
    more_url: str = ""


def _groups_spec() -> list[dict]:
    return [
        {
            "key": "labs",
            "label": _("Laboratori"),
            "queryset": Lab.objects.published(),
            "fields": [("title", "A"), ("title_en", "A"), ("subtitle", "B"), ("description", "C")],
            "text": "display_subtitle",
            "more_url": "",
        },
        {
            "key": "projects",
            "label": _("Progetti"),
            "queryset": Project.objects.published(),
            "fields": PROJECT_FIELDS,
            "search": search_projects,
            "more_url": "projects:list",
        },
        {
            "key": "services",
            "label": _("Servizi"),
            "queryset": Service.objects.active(),
            "fields": [("title", "A"), ("summary", "B"), ("description", "C")],
            "more_url": "",
        },
        {
            "key": "publications",
            "label": _("Pubblicazioni"),
            "queryset": Publication.objects.published(),
            "fields": [("title", "A"), ("curator", "B"), ("summary", "B")],
            "more_url": "",
        },
        {
            "key": "news",
            "label": _("Notizie"),
            "queryset": Article.objects.published(),
            "fields": [("title", "A"), ("summary", "B"), ("body", "C")],
            "more_url": "",
        },
    ]


def site_search(q: str, *, per_group: int = 5) -> list[SearchGroup]:
    """Every content type searched for ``q``: a total and the ``per_group`` best results each (two queries a type)."""
    groups = []
    for spec in _groups_spec():
        if "search" in spec:
            queryset = spec["search"](spec["queryset"], q)
        else:
            queryset = search_queryset(spec["queryset"], q, spec["fields"])
        total = queryset.count()
        results = []
        if total:
            ordered = queryset.order_by("-rank", "pk") if is_postgres() else queryset
            text = spec.get("text", "display_summary")
            results = [
                SearchHit(
                    title=obj.display_title,
                    url=obj.get_absolute_url(),
                    text=getattr(obj, text),
                    obj=obj,
                    text_field=text.removeprefix("display_"),
                )
                for obj in ordered[:per_group]
            ]
        more_url = ""
        if spec["more_url"] and total > per_group:
            more_url = f"{reverse(spec['more_url'])}?{_urlencode({'q': q})}"
        groups.append(
            SearchGroup(key=spec["key"], label=spec["label"], total=total, results=results, more_url=more_url)
        )
    return groups


def _urlencode(params: dict) -> str:
    return urlencode(params)
