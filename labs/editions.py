"""A new edition of a lab: the same lab and meetings, shifted in time, unpublished until staff review it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from labs.models import Lab, LabContact, Meeting

SHIFTED_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def _shifted(value: datetime.datetime, shift: datetime.timedelta) -> datetime.datetime:
    """Move the wall-clock time, not the UTC instant: a meeting at 9:30 in November is still at 9:30 when the new
    edition falls in June (daylight saving time in Europe/Rome)."""
    if timezone.is_aware(value):
        return timezone.make_aware(timezone.make_naive(value) + shift)
    return value + shift


def _free_slug(base: str) -> str:
    base = slugify(base)[:110] or "laboratorio"
    slug, n = base, 2
    while Lab.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def lab_duplicate_edition(*, lab_id: int, days: int) -> Lab:
    """Copy lab ``lab_id`` and its meetings, every date moved by ``days`` days.

    The copy is unpublished (staff check texts and dates first), its meetings are not cancelled and carry no online
    link (a new edition gets new links), and no registration is copied.
    """
    source = Lab.objects.prefetch_related("areas").get(pk=lab_id)
    meetings = list(Meeting.objects.filter(lab_id=lab_id).order_by("order", "pk"))
    shift = datetime.timedelta(days=days)
    # A lab without a stated year gets none on its copy either: staff set it when they review the new edition.
    new_year = source.edition_year + round(days / 365) if days and source.edition_year else source.edition_year
    areas = list(source.areas.all())

    lab = Lab.objects.get(pk=lab_id)
    lab.pk = lab.id = None
    lab._state.adding = True
    lab.edition_year = new_year
    lab.slug = _free_slug(f"{source.slug}-{new_year}" if new_year != source.edition_year else source.slug)
    lab.published = False
    lab.save()
    lab.areas.set(areas)
    # The same people answer for the new edition until staff change them.
    for contact in LabContact.objects.filter(lab_id=lab_id).order_by("order", "pk"):
        contact.pk = contact.id = None
        contact._state.adding = True
        contact.lab = lab
        contact.save()

    for meeting in meetings:
        meeting.pk = meeting.id = None
        meeting._state.adding = True
        meeting.lab = lab
        for field in SHIFTED_FIELDS:
            value = getattr(meeting, field)
            if value is not None:
                setattr(meeting, field, _shifted(value, shift))
        meeting.online_url = ""
        meeting.cancelled = False
        meeting.is_sample = False
        meeting.save()
    return lab
