"""Celery tasks of the registrations app: thin wrappers with explicit names and primitive arguments.

The logic (claiming, retry policy, rules) lives in registrations/outbox.py and registrations/services.py, so a task run
twice, late, or by two workers at once changes nothing the second time.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import gdpr, outbox, services


@shared_task(
    name=outbox.SEND_TASK,
    ignore_result=True,
    # Hard limit < outbox.stale_after(): a row "sending" for longer than that belongs to a worker that is gone.
    time_limit=outbox.SEND_TIME_LIMIT_SECONDS,
    soft_time_limit=outbox.SEND_TIME_LIMIT_SECONDS - 10,
)
def send_email(email_id: int) -> str:
    return outbox.outbox_send(email_id=email_id)


@shared_task(name="registrations.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    return len(outbox.outbox_sweep())


@shared_task(name="registrations.expire_pending_registrations", ignore_result=True)
def expire_pending_registrations() -> int:
    return services.registrations_expire_holds()


@shared_task(name="registrations.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return services.registrations_send_reminders()


@shared_task(name="registrations.purge_old_registrations", ignore_result=True)
def purge_old_registrations() -> int:
    """Monthly GDPR retention run: anonymise registrations of meetings older than the retention period."""
    return gdpr.registrations_purge(older_than_months=settings.REGISTRATION_RETENTION_MONTHS)
