"""The Celery application. Beat's schedule lives here, in code, so that every deployment runs the same jobs."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancilab_portal.settings")

app = Celery("ancilab_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs (registrations: reminders, expiry, outbox sweeper; GDPR purge), by task name.
app.conf.beat_schedule = {}
