"""Full-text search of the project catalogue.

The catalogue's weighted vector (title A, acronym A, summary B, description C) is stored in the ``search_vector``
column that a trigger keeps up to date and a GIN index covers (migration 0004, PostgreSQL only): computing it per row
at query time took seconds on 10,000 projects for a common word.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchRank, SearchVector, SearchVectorField
from django.db import models
from django.db.models.expressions import RawSQL

from core.search import SEARCH_CONFIG, is_postgres, search_queryset, text_query


def project_search_vector() -> SearchVector:
    """The weighted vector as an expression; migration 0003 indexed it, 0004 replaced it by a stored column."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("acronym", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
    )


PROJECT_FIELDS = [("title", "A"), ("acronym", "A"), ("summary", "B"), ("description", "C")]


def stored_project_vector() -> RawSQL:
    """The trigger-maintained ``search_vector`` column (migration 0004; PostgreSQL only, not a model field)."""
    return RawSQL('"projects_project"."search_vector"', [], output_field=SearchVectorField())


def search_projects(queryset: models.QuerySet, q: str) -> models.QuerySet:
    if not q or not is_postgres():
        return search_queryset(queryset, q, PROJECT_FIELDS)
    vector, query = stored_project_vector(), text_query(q)
    return queryset.alias(search=vector).filter(search=query).annotate(rank=SearchRank(vector, query))
