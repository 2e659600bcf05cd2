"""ancilab_portal/celery.py: the beat schedule, and what it does under the embedded default (`make run`)."""

from __future__ import annotations

import pytest
from celery.beat import Scheduler

from ancilab_portal.celery import app

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_names_a_registered_task():
    assert {entry["task"] for entry in app.conf.beat_schedule.values()} == {
        "registrations.sweep_outbox",
        "registrations.expire_pending_registrations",
        "registrations.send_reminders",
        "registrations.purge_old_registrations",
        "documents.purge_exports",
    }
    assert {entry["task"] for entry in app.conf.beat_schedule.values()} <= set(app.tasks)


def test_beat_runs_each_job_in_process_when_tasks_are_eager(settings):
    """make run starts `celery beat` beside runserver with no broker: beat's own apply_async runs the job in its
    process (task_always_eager), so reminders, expiry and the outbox sweep happen as in production."""
    app.conf.task_always_eager = True
    try:
        scheduler = Scheduler(app=app, lazy=True)
        scheduler.setup_schedule()
        results = {
            entry.task: scheduler.apply_async(entry, advance=False)
            for entry in (scheduler.Entry(name=name, app=app, **spec) for name, spec in app.conf.beat_schedule.items())
        }
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    assert {task: result.status for task, result in results.items()} == dict.fromkeys(results, "SUCCESS")
    assert results["registrations.sweep_outbox"].result == 0
