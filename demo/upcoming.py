"""An upcoming edition of a demo lab, so that a person trying the portal can register at once.

The real demo meetings are all in 2020–2021. This makes a new edition of one of them with the staff's own "duplicate as
a new edition" service, its meetings moved to start a few weeks from today and flagged as sample dates (they are
invented), then publishes it: the service leaves copies unpublished for staff to review, and here nobody will.

Nothing else is invented: the copy keeps the source's capacities (none stated, so unlimited seats) and its contact
texts, which describe no registration procedure (the portal's own online registration is the procedure).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from labs.editions import lab_duplicate_edition
from labs.models import Lab, Meeting

# Five online meetings, all dated, open to everyone: every one can be registered for.
SOURCE_SLUG = "lab-impact-coprogrammazione-welfare"
WEEKS_AHEAD = 3


def demo_upcoming_edition_existing() -> Lab | None:
    """The published demo edition that still has a sample meeting ahead, if any.

    Looked up by what it is rather than by slug, so that once its meetings are past a new run makes a fresh one.
    """
    source = Lab.objects.filter(slug=SOURCE_SLUG).first()
    if source is None:
        return None
    upcoming = Meeting.objects.filter(is_sample=True, cancelled=False, starts_at__gt=timezone.now())
    return (
        Lab.objects.published()
        .filter(title=source.title, meetings__in=upcoming)
        .exclude(pk=source.pk)
        .distinct()
        .order_by("pk")
        .first()
    )


@transaction.atomic
def demo_upcoming_edition_create(*, today: datetime.date | None = None) -> Lab:
    """Copy the demo lab as a published edition whose first meeting is WEEKS_AHEAD weeks after ``today`` (or up to six
    days more, on the source meeting's weekday).

    Raises Lab.DoesNotExist when the demo content is not loaded.
    """
    source = Lab.objects.get(slug=SOURCE_SLUG)
    first_start = Meeting.objects.filter(lab=source, starts_at__isnull=False).earliest("starts_at").starts_at
    today = today or timezone.localdate()
    days = (today + datetime.timedelta(weeks=WEEKS_AHEAD) - timezone.localdate(first_start)).days
    # Whole weeks, rounded up: each meeting keeps its weekday (a Tuesday stays a Tuesday, never a Sunday).
    days = -(-days // 7) * 7
    lab = lab_duplicate_edition(lab_id=source.pk, days=days)
    for meeting in Meeting.objects.filter(lab=lab):
        meeting.is_sample = True
        if meeting.is_online:
            # The copy has no link (a new edition gets new links); a sample one on the reserved example.org domain
            # lets a person trying the portal see the link arrive with the confirmation, as a registrant would.
            meeting.online_url = f"https://meet.example.org/ancilab-demo-{meeting.pk}"
        # No window: registration is open from now until the meeting starts.
        meeting.registration_opens_at = meeting.registration_closes_at = None
        meeting.full_clean()
        meeting.save()
    lab.published = True
    lab.full_clean()
    lab.save()
    return lab
