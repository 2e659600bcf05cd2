"""The catalogue's programme filter finds a project by its main programme or by any of its funding lines, once."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from projects.models import FundingLine, FundingProgramme, Project
from tests.factories import FundingProgrammeFactory
from tests.projects.listing import listed_projects

pytestmark = pytest.mark.django_db


def slugs(client, **params) -> list[str]:
    response = client.get(reverse("projects:list"), params)
    assert response.status_code == 200
    return [project.slug for project in listed_projects(response)]


@pytest.fixture
def lines(catalogue):
    """GovernaTI-VA-like lines: "boschi" (main programme PNRR) gets Interreg and FESR; "anziani" (FAMI) FAMI and FESR."""
    interreg = FundingProgrammeFactory(name="Interreg", slug="interreg", eu_funded=True)
    fesr = FundingProgrammeFactory(name="FESR", slug="fesr", eu_funded=True)
    fami = FundingProgramme.objects.get(slug="fami")
    boschi = Project.objects.get(slug="boschi")  # main programme PNRR
    FundingLine.objects.create(project=boschi, programme=interreg, order=1)
    FundingLine.objects.create(project=boschi, programme=fesr, order=2)
    # A line repeating the main programme must not list the project twice.
    anziani = Project.objects.get(slug="anziani")  # main programme FAMI
    FundingLine.objects.create(project=anziani, programme=fami, order=1)
    FundingLine.objects.create(project=anziani, programme=fesr, order=2)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"programma": "interreg"}, ["boschi"]),
        ({"programma": "fesr"}, ["anziani", "boschi"]),
        ({"programma": "fami"}, ["anziani", "scuole"]),
        ({"programma": "pnrr"}, ["boschi"]),
        ({"programma": "fesr", "area": "welfare"}, ["anziani"]),
    ],
)
def test_programme_filter_matches_main_programme_or_funding_lines(client, lines, params, expected):
    assert slugs(client, **params) == expected


def test_the_filtered_export_uses_the_same_rule(client, lines):
    response = client.get(reverse("projects:export_json"), {"programma": "fesr"})
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert sorted(record["slug"] for record in data["items"]) == ["anziani", "boschi"]
