"""50 people pressing "Iscriviti" at the same instant on a 10-seat meeting (real PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from registrations import services
from registrations.models import Registration
from tests.factories import MeetingFactory

from .conftest import person

PEOPLE = 50
SEATS = 10
ROUNDS = 20


def _register_all(meeting_id: int, round_no: int) -> tuple[list, list]:
    barrier = threading.Barrier(PEOPLE)
    results: list = []
    errors: list = []

    def attempt(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            data = person(n, email=f"r{round_no}-p{n}@comune.example.it")
            results.append(services.registration_create(meeting_id=meeting_id, data=data, language="it"))
        except Exception as exc:  # noqa: BLE001 - every error is a test failure, collected and shown
            errors.append(repr(exc))
        finally:
            connection.close()  # give the pooled connection back

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_fill_ten_seats_and_queue_the_rest_in_order(postgres_only):
    for round_no in range(ROUNDS):
        meeting = MeetingFactory(capacity=SEATS)
        results, errors = _register_all(meeting.pk, round_no)
        assert errors == []
        assert len(results) == PEOPLE
        rows = list(Registration.objects.filter(meeting=meeting).order_by("created_at", "pk"))
        statuses = [r.status for r in rows]
        assert statuses == ["pending"] * SEATS + ["waitlisted"] * (PEOPLE - SEATS), f"round {round_no}"
        # Arrival order = the order in which the lock was granted: the positions told to each person match it.
        told = {r.registration.pk: r.waitlist_position for r in results}
        assert [told[r.pk] for r in rows[SEATS:]] == list(range(1, PEOPLE - SEATS + 1))
        assert all(told[r.pk] is None for r in rows[:SEATS])
