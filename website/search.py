"""/cerca/: one group per content type, each with its total and its first results (core/search.py does the matching;
the catalogue uses its stored vector, projects/search.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import is_postgres, search_queryset
from labs.models import Lab
from projects.models import Project, Service
from projects.search import PROJECT_FIELDS, search_projects
from publications.models import Article, Publication


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
            "fields": [
                ("title", "A"),
                ("title_en", "A"),
                ("summary", "B"),
                ("summary_en", "B"),
                ("description", "C"),
                ("description_en", "C"),
            ],
            "more_url": "",
        },
        {
            "key": "publications",
            "label": _("Pubblicazioni"),
            "queryset": Publication.objects.published(),
            "fields": [("title", "A"), ("title_en", "A"), ("curator", "B"), ("summary", "B"), ("summary_en", "B")],
            "more_url": "",
        },
        {
            "key": "news",
            "label": _("Notizie"),
            "queryset": Article.objects.published(),
            "fields": [
                ("title", "A"),
                ("title_en", "A"),
                ("summary", "B"),
                ("summary_en", "B"),
                ("body", "C"),
                ("body_en", "C"),
            ],
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
