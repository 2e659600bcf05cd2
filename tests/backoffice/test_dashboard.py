"""The admin index is a dashboard: upcoming meetings with fill meters, registrations per day, outbox failures."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming():
    lab = LabFactory(title="Lab Welfare")
    meeting = MeetingFactory(lab=lab, title="Primo", capacity=4)
    for _ in range(3):
        RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED)
    RegistrationFactory(meeting=meeting, status=Registration.Status.CANCELLED)
    unlimited = MeetingFactory(lab=lab, title="Secondo", capacity=None)
    RegistrationFactory(meeting=unlimited)
    MeetingFactory(lab=lab, title="Passato", starts_at=timezone.now() - datetime.timedelta(days=3))
    return meeting


def test_dashboard_shows_fill_meters_with_text(admin_client, upcoming):
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert "Prossimi incontri" in body
    assert f'<meter id="fill-{upcoming.pk}" min="0" max="4" value="3">3/4</meter>' in body
    assert f'<label for="fill-{upcoming.pk}">3 su 4 (75%)</label>' in body
    assert "<td>1</td>" in body  # waiting list
    assert "1 (posti illimitati)" in body
    assert "Passato" not in body


def test_dashboard_chart_counts_registrations_per_day(admin_client, upcoming):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Registration.objects.filter(meeting=upcoming).update(created_at=yesterday)
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert 'role="img"' in body
    assert '<title id="chart-dashboard-title">Iscrizioni al giorno, ultimi 14 giorni</title>' in body
    assert "in totale 6, al massimo 5 in un giorno." in body
    day = timezone.localdate(yesterday)
    assert f'<time datetime="{day:%Y-%m-%d}">' in body
    assert "<td>5</td>" in body and "<td>1</td>" in body


def test_dashboard_reports_outbox_failures(admin_client, upcoming):
    OutboundEmail.objects.create(to="x@example.it", template="t", subject="s", body_text="b", status="failed")
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert "1 email non è stata consegnata." in body


def test_dashboard_query_count_does_not_grow_with_meetings(admin_client, upcoming, django_assert_num_queries):
    admin_client.get(reverse("admin:index"))  # warm the session and the content types
    with django_assert_num_queries(7) as ctx:
        admin_client.get(reverse("admin:index"))
    for _ in range(5):
        RegistrationFactory(meeting=MeetingFactory())
    with django_assert_num_queries(len(ctx.captured_queries)):
        admin_client.get(reverse("admin:index"))


def test_editor_sees_meetings_but_not_outbox(editor_client, upcoming):
    body = editor_client.get(reverse("admin:index")).content.decode()
    assert "Prossimi incontri" in body
    assert "Email non consegnate" not in body
    assert "Nuovo laboratorio" in body
