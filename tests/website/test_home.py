"""The home page: sections, the portal in numbers (exact figures), cache invalidation on save, flat query count."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import AreaFactory, LabFactory, MeetingFactory, ProjectFactory, PublicationFactory

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def test_home_sections_and_numbers(client):
    welfare = AreaFactory(name="Welfare", slug="welfare")
    ProjectFactory(title="Alfa", budget=Decimal("8739950.00"), start_date=datetime.date(2020, 3, 1), areas=[welfare])
    ProjectFactory(
        title="Beta", budget=Decimal("1000.50"), start_date=datetime.date(2021, 1, 1), status=Project.Status.COMPLETED
    )
    ProjectFactory(title="Nascosto", published=False, budget=Decimal("5"))
    MeetingFactory(
        lab=LabFactory(title="Laboratorio aperto"),
        title="Primo incontro",
        starts_at=datetime.datetime(2030, 11, 3, 9, 30, tzinfo=ROME),
    )
    PublicationFactory(title="Un e-book", year=2024)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "<title>Pagina iniziale – AnciLab · ANCI Lombardia</title>" in html
    assert "Primo incontro" in html and "9:30–13:30" in html
    assert "Laboratorio aperto" in html
    assert "Alfa" in html and "Nascosto" not in html
    assert "Un e-book" in html
    numbers = response.context["numbers"]
    assert numbers["total_projects"] == 2
    assert numbers["total_budget"] == "8.740.950,50\u00a0€"
    status, areas, budget = numbers["charts"]
    assert [(b.label, b.display) for b in status.bars] == [
        ("In corso", "1"),
        ("In progettazione", "0"),
        ("Concluso", "1"),
    ]
    assert [(b.label, b.display) for b in areas.bars] == [("Welfare", "1")]
    assert [(b.label, b.display) for b in budget.bars] == [("2020", "8.739.950,00\u00a0€"), ("2021", "1.000,50\u00a0€")]
    assert "<caption>Budget per anno di avvio</caption>" in html
    assert '<th scope="row">2020</th><td class="text-end">8.739.950,00\u00a0€</td>' in html
    assert 'role="img" aria-labelledby="chart-status-title chart-status-desc"' in html


def test_numbers_are_cached_and_refreshed_when_content_changes(client, django_assert_num_queries):
    ProjectFactory(title="Alfa")
    assert client.get(reverse("home")).context["numbers"]["total_projects"] == 1
    ProjectFactory(title="Beta")  # post_save bumps the content version
    assert client.get(reverse("home")).context["numbers"]["total_projects"] == 2


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_is_flat(client, django_assert_num_queries, count):
    area = AreaFactory()
    for n in range(count):
        lab = LabFactory(slug=f"lab-{n}")
        MeetingFactory(lab=lab, starts_at=datetime.datetime(2030, 11, 3 + n % 20, 9, 30, tzinfo=ROME))
        ProjectFactory(areas=[area])
        PublicationFactory()
    # Nothing cached: upcoming meetings, open labs, latest projects, latest publications, and the 3 aggregates of
    # the numbers (status, areas, budget).
    with django_assert_num_queries(7):
        client.get(reverse("home"))
    # The page is cached whole; a page with another query string reuses the cached numbers.
    with django_assert_num_queries(0):
        client.get(reverse("home"))
    with django_assert_num_queries(4):
        client.get(reverse("home"), {"utm_source": "x"})
