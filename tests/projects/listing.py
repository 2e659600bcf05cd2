"""The projects a catalogue response lists, in order (the page context holds their ids; the cards are HTML)."""

from __future__ import annotations

from projects.models import Project


def listed_projects(response) -> list[Project]:
    ids = response.context["project_ids"]
    by_pk = Project.objects.in_bulk(ids)
    return [by_pk[pk] for pk in ids]
