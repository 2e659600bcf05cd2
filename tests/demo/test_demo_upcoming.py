"""demo_upcoming: one published edition of a demo lab with sample meetings a few weeks ahead, open for registration."""

from __future__ import annotations

import datetime
import itertools
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ancilab_portal.celery import app as celery_app
from demo.upcoming import SOURCE_SLUG
from labs.models import Lab, Meeting
from registrations import outbox
from registrations.models import OrganizationType, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def eager_celery():
    """With REDIS_URL set the confirmation email task would go to a broker nobody consumes: run it in-process."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    outbox.reset_broker_state()
    yield
    celery_app.conf.task_always_eager = previous
    outbox.reset_broker_state()


def _run() -> str:
    out = StringIO()
    call_command("demo_upcoming", stdout=out)
    return out.getvalue()


def _stamps() -> list:
    return sorted(
        [*Lab.objects.values_list("pk", "updated_at"), *Meeting.objects.values_list("pk", "updated_at")], key=str
    )


def test_it_creates_one_published_edition_with_upcoming_sample_meetings(demo, settings):
    before = set(Lab.objects.values_list("pk", flat=True))
    output = _run()

    created = Lab.objects.exclude(pk__in=before)
    assert created.count() == 1
    lab = created.get()
    source = Lab.objects.get(slug=SOURCE_SLUG)
    assert (lab.published, lab.title, lab.slug) == (True, source.title, f"{SOURCE_SLUG}-{lab.edition_year}")
    meetings = list(lab.meetings.order_by("order"))
    source_meetings = list(source.meetings.order_by("order"))
    assert [m.title for m in meetings] == [m.title for m in source_meetings]
    assert len(meetings) == 5
    now = timezone.now()
    assert [m.is_sample for m in meetings] == [True] * 5
    assert all(m.starts_at > now for m in meetings)
    # No source states a capacity: the copy has none either (unlimited seats), rather than an invented number.
    assert [m.capacity for m in meetings] == [None] * 5
    assert [m.registration_open for m in meetings] == [True] * 5
    assert [m.online_url for m in meetings] == [f"https://meet.example.org/ancilab-demo-{m.pk}" for m in meetings]
    assert Meeting.objects.open_for_registration().filter(lab=lab).count() == 5
    # The first meeting is three to four weeks from today, on its source weekday; the others keep the source's spacing.
    first_day = timezone.localdate(meetings[0].starts_at)
    assert 21 <= (first_day - timezone.localdate()).days <= 27
    assert first_day.weekday() == timezone.localdate(source_meetings[0].starts_at).weekday()
    gaps = [b.starts_at - a.starts_at for a, b in itertools.pairwise(meetings)]
    assert gaps == [b.starts_at - a.starts_at for a, b in itertools.pairwise(source_meetings)]
    assert f"Created the upcoming demo edition {lab.slug}: 5 meetings with sample dates from " in output
    assert output.rstrip().endswith(f"registration open at {settings.SITE_URL}{lab.get_absolute_url()}")
    # The real demo content is untouched: its meetings keep their own dates and flags.
    assert [m.starts_at for m in source.meetings.order_by("order")] == [m.starts_at for m in source_meetings]
    assert not source.meetings.filter(is_sample=True).exists()


def test_a_second_run_creates_nothing_and_says_so(demo):
    _run()
    lab = Lab.objects.get(slug__startswith=f"{SOURCE_SLUG}-")
    counts = (Lab.objects.count(), Meeting.objects.count())
    stamps = _stamps()

    output = _run()

    assert (Lab.objects.count(), Meeting.objects.count()) == counts
    assert _stamps() == stamps
    assert output == f"Upcoming demo edition already present: {lab.slug}. Nothing changed.\n"


def test_load_demo_after_it_still_changes_nothing(demo):
    _run()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing changed" in out.getvalue()


def test_once_its_meetings_are_past_a_new_run_makes_a_fresh_edition(demo):
    _run()
    first = Lab.objects.get(slug__startswith=f"{SOURCE_SLUG}-")
    year = datetime.timedelta(days=365)
    Meeting.objects.filter(lab=first).update(starts_at=F("starts_at") - year, ends_at=F("ends_at") - year)

    _run()

    fresh = Lab.objects.exclude(pk=first.pk).filter(slug__startswith=f"{SOURCE_SLUG}-").get()
    assert fresh.published is True
    assert Meeting.objects.open_for_registration().filter(lab=fresh).count() == 5


def test_without_the_demo_content_it_tells_what_to_run():
    with pytest.raises(CommandError) as error:
        _run()
    assert str(error.value) == f"Demo lab {SOURCE_SLUG} not found: run `manage.py load_demo` first."
    assert not Lab.objects.exists()


def test_a_registration_through_the_public_form_succeeds(
    client, demo, eager_celery, django_capture_on_commit_callbacks
):
    _run()
    meeting = Meeting.objects.filter(lab__slug__startswith=f"{SOURCE_SLUG}-").order_by("starts_at").first()
    register_url = reverse("registrations:register", args=[meeting.pk])
    assert f'href="{register_url}"' in client.get(meeting.get_absolute_url()).content.decode()
    data = {
        "first_name": "Giulia",
        "last_name": "Rossi",
        "email": "giulia.rossi@comune.example.it",
        "organization": "Comune di Bergamo",
        "organization_type": OrganizationType.COMUNE,
        "role": "Funzionaria",
        "privacy": "on",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url, data, follow=True)

    assert response.redirect_chain == [(reverse("registrations:result"), 302)]
    registration = Registration.objects.get()
    assert (registration.meeting, registration.email, registration.status) == (
        meeting,
        "giulia.rossi@comune.example.it",
        Registration.Status.PENDING,
    )
    assert [m.subject for m in mail.outbox] == [f"Conferma la tua iscrizione: {meeting.title}"]
    assert [m.to for m in mail.outbox] == [["giulia.rossi@comune.example.it"]]
    # Confirming the address sends the sample online link, as a real meeting's link would be sent.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registrations:confirm", args=[registration.token]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert f"https://meet.example.org/ancilab-demo-{meeting.pk}" in mail.outbox[-1].body
