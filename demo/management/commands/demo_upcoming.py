"""python manage.py demo_upcoming: a published edition of a demo lab with meetings a few weeks ahead (idempotent).

`make run` calls it after load_demo, so the demo always has meetings open for registration.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.upcoming import SOURCE_SLUG, demo_upcoming_edition_create, demo_upcoming_edition_existing
from labs.models import Lab, Meeting


class Command(BaseCommand):
    help = "Create a published edition of a demo lab whose meetings start a few weeks from today (sample dates)."

    def handle(self, *args: Any, **options: Any) -> None:
        existing = demo_upcoming_edition_existing()
        if existing is not None:
            self.stdout.write(f"Upcoming demo edition already present: {existing.slug}. Nothing changed.")
            return
        try:
            lab = demo_upcoming_edition_create()
        except Lab.DoesNotExist as error:
            raise CommandError(f"Demo lab {SOURCE_SLUG} not found: run `manage.py load_demo` first.") from error
        meetings = list(Meeting.objects.filter(lab=lab).order_by("starts_at"))
        first = timezone.localdate(meetings[0].starts_at).isoformat()
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the upcoming demo edition {lab.slug}: {len(meetings)} meetings with sample dates from "
                f"{first}, registration open at {settings.SITE_URL}{lab.get_absolute_url()}"
            )
        )
