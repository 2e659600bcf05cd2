"""Periodic back-office jobs (Celery beat entries live in ancilab_portal/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(name="labs.purge_registrations")
def purge_registrations() -> int:
    """Monthly GDPR retention run: anonymise registrations of meetings older than the retention period."""
    from ancilab_portal.backoffice.gdpr import registrations_purge

    return registrations_purge(older_than_months=settings.REGISTRATION_RETENTION_MONTHS)
