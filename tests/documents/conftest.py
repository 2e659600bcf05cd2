from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def eager_celery():
    """Run enqueued tasks in-process even when REDIS_URL made the suite's Celery asynchronous."""
    from ancilab_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _italian():
    """Every test starts in Italian: a request to /en/ leaves English active in the test's thread, and reverse() would
    then prefix the next test's URLs with /en/."""
    from django.utils import translation

    translation.activate("it")
    yield
    translation.activate("it")
