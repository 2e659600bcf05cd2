"""GDPR retention: anonymise registrations of meetings older than the retention period (default: the setting).

    python manage.py purge_registrations                   # settings.REGISTRATION_RETENTION_MONTHS
    python manage.py purge_registrations --older-than 24m  # months ("24m", "24") or years ("2y")

Runs monthly from Celery beat (task "labs.purge_registrations"). Idempotent: anonymised rows are skipped.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrations.gdpr import registrations_purge


def parse_months(value: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*([my]?)\s*", value.lower())
    if not match:
        raise CommandError(f"--older-than {value!r}: use months like 24m (or 24) or years like 2y.")
    number, unit = int(match.group(1)), match.group(2) or "m"
    months = number * 12 if unit == "y" else number
    if months < 1:
        raise CommandError("--older-than must be at least one month.")
    return months


class Command(BaseCommand):
    help = "Anonymise registrations of meetings past the GDPR retention period (counts by organisation type stay)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            default=f"{settings.REGISTRATION_RETENTION_MONTHS}m",
            help="Retention period: 24m (months) or 2y (years). Default: REGISTRATION_RETENTION_MONTHS.",
        )

    def handle(self, *args, older_than: str, **options):
        months = parse_months(older_than)
        count = registrations_purge(older_than_months=months)
        self.stdout.write(f"Anonymised {count} registration(s) of meetings older than {months} months.")
