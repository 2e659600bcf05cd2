"""The Celery application. Beat's schedule lives here, in code, so that every deployment runs the same jobs."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ancilab_portal.settings")

app = Celery("ancilab_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs (registrations: reminders, expiry, outbox sweeper; GDPR purge), by task name.
# Each job is idempotent, so a beat restarted twice or a run that overlaps the previous one does no harm.
app.conf.beat_schedule = {
    # Re-publishes emails left "queued" while Redis was down, lost retries, and rows of workers killed mid-send.
    "registrations-sweep-outbox": {"task": "registrations.sweep_outbox", "schedule": 60.0},
    # Frees seats held by people who never confirmed their address, and promotes the waiting list.
    "registrations-expire-pending": {"task": "registrations.expire_pending_registrations", "schedule": 300.0},
    # Reminder with the link about 24 hours before each meeting (checked every 15 minutes, sent once per person).
    "registrations-send-reminders": {"task": "registrations.send_reminders", "schedule": 900.0},
    # GDPR retention: anonymise registrations of meetings older than REGISTRATION_RETENTION_MONTHS, monthly at night.
    "registrations-purge-old": {
        "task": "registrations.purge_old_registrations",
        "schedule": crontab(day_of_month="1", hour="3", minute="30"),
    },
    # Built catalogue PDFs older than a week or superseded by a newer one, and their files (media would only grow).
    "documents-purge-exports": {"task": "documents.purge_exports", "schedule": crontab(hour="4", minute="15")},
}
