"""Every public filter and search parameter × every hostile payload: no 5xx, nothing reflected unescaped, and a visible
reason whenever a filter value is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AreaFactory, ArticleFactory, LabFactory, MeetingFactory, ProjectFactory, PublicationFactory
from tests.hostile.conftest import assert_clear_error, assert_safe, query_string
from tests.hostile.payloads import ALL, Payload

CATALOGUE = ["q", "area", "stato", "programma", "anno", "budget_min", "budget_max", "ordina"]


class Target:
    def __init__(self, name: str, params: list[str], *, free_text: list[str] = (), choices: list[str] = ()):
        self.name = name
        self.params = params
        # Parameters that accept any text: each also gets the payload alone, so it reaches the query (not stopped by a
        # sibling parameter's validation error).
        self.free_text = list(free_text)
        # Choice parameters: a payload is never a valid choice, so the page must say the filter was refused.
        self.choices = list(choices)


TARGETS = [
    Target("projects:list", [*CATALOGUE, "page"], free_text=["q"], choices=["area", "stato", "programma", "ordina"]),
    Target("projects:export_csv", CATALOGUE, free_text=["q"], choices=["area", "stato", "programma", "ordina"]),
    Target("projects:export_json", CATALOGUE, free_text=["q"], choices=["area", "stato", "programma", "ordina"]),
    Target("search", ["q"], free_text=["q"]),
    Target("labs:list", ["area", "anno", "stato"], choices=["area", "stato"]),
    Target("publications:list", ["tipo", "area", "anno", "page"], choices=["tipo", "area"]),
    Target("publications:article_list", ["page"]),
]


@pytest.fixture(scope="module")
def public_content(module_db):
    area = AreaFactory(slug="territorio", name="Territorio")
    ProjectFactory(title="Progetto ostile", areas=[area])
    lab = LabFactory(title="Laboratorio ostile")
    lab.areas.set([area])
    MeetingFactory(lab=lab)
    PublicationFactory(title="E-book ostile")
    ArticleFactory(title="Notizia ostile")


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
@pytest.mark.parametrize("payload", ALL, ids=lambda p: p.id)
def test_filters_survive_hostile_values(public_content, db, hostile_client, target: Target, payload: Payload):
    url = reverse(target.name)
    payload = payload.for_url()
    everywhere = hostile_client.get(f"{url}?{query_string(dict.fromkeys(target.params, payload))}")
    body = assert_safe(everywhere, payload, where=f"{target.name} (every parameter)")
    if everywhere.status_code == 400 or (target.choices and payload.value.strip()):
        assert_clear_error(everywhere, body, where=f"{target.name} (every parameter)")
    for name in target.free_text:
        alone = hostile_client.get(f"{url}?{query_string({name: payload})}")
        body = assert_safe(alone, payload, where=f"{target.name} ({name} alone)")
        if alone.status_code == 400:
            assert_clear_error(alone, body, where=f"{target.name} ({name} alone)")
