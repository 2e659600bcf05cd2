"""A small catalogue with known facts, so that every filter combination has an exact expected set of slugs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from projects.models import Project
from tests.factories import AreaFactory, FundingProgrammeFactory, ProjectFactory


@pytest.fixture(autouse=True)
def _italian_first():
    """A request under /en/ leaves English active in the thread, and reverse() would then build /en/ URLs."""
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture
def catalogue(db):
    ambiente = AreaFactory(name="Ambiente", name_en="Environment", slug="ambiente")
    welfare = AreaFactory(name="Welfare", slug="welfare")
    fami = FundingProgrammeFactory(name="FAMI", slug="fami")
    pnrr = FundingProgrammeFactory(name="PNRR", slug="pnrr")
    rows = [
        # slug, title, status, start, end, budget, areas, programme, summary
        (
            "boschi",
            "Boschi urbani",
            "ongoing",
            (2021, 3, 1),
            (2025, 6, 30),
            "250000",
            [ambiente],
            pnrr,
            "Alberi in città.",
        ),
        (
            "acque",
            "Acque pulite",
            "completed",
            (2015, 1, 1),
            (2018, 12, 31),
            "90000",
            [ambiente],
            None,
            "Fiumi e rogge.",
        ),
        (
            "anziani",
            "Anziani al centro",
            "ongoing",
            (2023, 9, 1),
            None,
            "8739950",
            [welfare],
            fami,
            "Welfare di comunità.",
        ),
        (
            "scuole",
            "Scuole aperte",
            "planned",
            (2027, 1, 1),
            (2028, 12, 31),
            None,
            [welfare, ambiente],
            fami,
            "Cortili.",
        ),
        ("archivio", "Archivio digitale", "completed", None, (2019, 5, 31), "15000", [], None, "Laboratorio sui dati."),
    ]
    for slug, title, status, start, end, budget, areas, programme, summary in rows:
        ProjectFactory(
            slug=slug,
            title=title,
            status=status,
            start_date=datetime.date(*start) if start else None,
            end_date=datetime.date(*end) if end else None,
            budget=Decimal(budget) if budget else None,
            budget_note="" if budget else "in via di definizione",
            programme=programme,
            summary=summary,
            areas=areas,
        )
    ProjectFactory(slug="bozza", title="Bozza non pubblicata", published=False, areas=[ambiente])
    return Project.objects.all()
