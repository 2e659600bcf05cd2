"""The order of the public labs list (LabQuerySet.in_list_order): to come, soonest first; without dates; concluded,
most recent first."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from labs.models import Lab
from tests.factories import LabFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=n)).replace(hour=9, minute=30, second=0, microsecond=0)


@pytest.fixture
def labs():
    """Six labs, created in an order that is none of the expected ones."""
    concluded_long_ago = LabFactory(title="A concluso nel 2024", edition_year=2024)
    MeetingFactory(lab=concluded_long_ago, starts_at=_days(-700))
    later = LabFactory(title="B tra due mesi", edition_year=2026)
    MeetingFactory(lab=later, starts_at=_days(60))
    MeetingFactory(lab=later, starts_at=_days(-10))  # a past meeting does not push it back
    undated = LabFactory(title="C senza date", edition_year=2027)
    MeetingFactory(lab=undated, starts_at=None)
    concluded_recently = LabFactory(title="D concluso da poco", edition_year=2024)
    MeetingFactory(lab=concluded_recently, starts_at=_days(-20))
    sooner = LabFactory(title="E tra una settimana", edition_year=2025)
    MeetingFactory(lab=sooner, starts_at=_days(7))
    MeetingFactory(lab=sooner, starts_at=_days(2), cancelled=True)  # a cancelled meeting will not take place
    no_meetings = LabFactory(title="F nessun incontro", edition_year=2026)
    return [sooner, later, undated, no_meetings, concluded_recently, concluded_long_ago]


def test_the_list_order_puts_upcoming_first_then_undated_then_concluded(labs):
    assert list(Lab.objects.in_list_order()) == [
        labs[0],  # next meeting in 7 days (the cancelled one in 2 days does not count)
        labs[1],  # next meeting in 60 days
        labs[2],  # without dates, the newer edition first: an undated meeting (edition 2027)
        labs[3],  # no meeting yet (edition 2026)
        labs[4],  # concluded 20 days ago
        labs[5],  # concluded 700 days ago
    ]


def test_the_list_page_shows_the_labs_in_that_order(client, labs):
    response = client.get(reverse("labs:list"))
    assert list(response.context["labs"]) == labs
    html = response.content.decode()
    positions = [html.index(lab.title) for lab in labs]
    assert positions == sorted(positions)


def test_the_filtered_list_keeps_the_order(client, labs):
    response = client.get(reverse("labs:list"), {"anno": "2024"})
    assert list(response.context["labs"]) == [labs[4], labs[5]]


def test_the_ordered_list_keeps_its_query_count(client, labs, django_assert_num_queries):
    # areas of the filter, years, count, page of labs (ordered in the same query), their areas
    with django_assert_num_queries(5):
        response = client.get(reverse("labs:list"))
    assert response.context["paginator"].count == 6
