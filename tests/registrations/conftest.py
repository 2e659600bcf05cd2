"""Fixtures of the registrations tests.

How tasks run here: with REDIS_URL set (CI) Celery would publish to Redis and nothing would consume. Most tests
therefore run Celery eagerly (`eager_celery`, autouse): a task published on commit runs in the same process, like
the development setup. Services tests assert the outbox rows (what will be sent); tests of the delivery path run the
on-commit callbacks and look at mail.outbox. test_outbox_broker.py switches eager mode off to talk to a real broker
(a closed port for "Redis down", the CI Redis for "Redis is back") with an in-process worker.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from ancilab_portal.celery import app as celery_app
from registrations import outbox, services
from registrations.models import OrganizationType


@pytest.fixture(autouse=True)
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    outbox.reset_broker_state()
    yield celery_app
    celery_app.conf.task_always_eager = previous
    outbox.reset_broker_state()


def person(n: int = 1, **overrides) -> dict:
    data = {
        "first_name": "Giulia",
        "last_name": f"Rossi{n}",
        "email": f"persona{n}@comune.example.it",
        "organization": "Comune di Bergamo",
        "organization_type": OrganizationType.COMUNE,
        "role": "Funzionaria",
        "newsletter_consent": False,
    }
    data.update(overrides)
    return data


@pytest.fixture
def register():
    """register(meeting, n=1, **fields) -> RegistrationResult, through the service, in Italian."""

    def _register(meeting, n: int = 1, language: str = "it", **overrides):
        return services.registration_create(meeting_id=meeting.pk, data=person(n, **overrides), language=language)

    return _register


@pytest.fixture
def now():
    return timezone.now()
