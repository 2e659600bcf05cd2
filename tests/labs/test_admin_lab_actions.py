"""Lab actions: duplicate as a new edition and the programme PDF (the per-lab report is registrations' side:
tests/registrations/test_admin_lab_report.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from labs.models import Lab, Meeting
from registrations.models import Registration
from tests.factories import AreaFactory, LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:labs_lab_changelist")


def _aware(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def test_duplicate_as_new_edition_asks_the_days_then_copies_lab_and_meetings(admin_client):
    lab = LabFactory(title="Lab Welfare", slug="lab-welfare", edition_year=2025, published=True)
    lab.areas.set([AreaFactory(slug="welfare")])
    MeetingFactory(
        lab=lab,
        order=1,
        title="Primo",
        starts_at=_aware(2025, 3, 4, 9, 30),
        ends_at=_aware(2025, 3, 4, 13, 30),
        registration_closes_at=_aware(2025, 3, 3, 12, 0),
        cancelled=True,
    )
    MeetingFactory(lab=lab, order=2, title="Secondo", starts_at=None, ends_at=None)
    RegistrationFactory(meeting=lab.meetings.first())

    form = admin_client.post(CHANGELIST, {"action": "duplicate_edition", "_selected_action": [lab.pk]})
    assert form.status_code == 200
    assert "Sposta le date di (giorni)" in form.content.decode()
    response = admin_client.post(
        CHANGELIST, {"action": "duplicate_edition", "_selected_action": [lab.pk], "days": "364", "apply": "1"}
    )
    assert response.status_code == 302
    copy = Lab.objects.exclude(pk=lab.pk).get()
    assert (copy.title, copy.slug, copy.edition_year, copy.published) == (
        "Lab Welfare",
        "lab-welfare-2026",
        2026,
        False,
    )
    assert list(copy.areas.values_list("slug", flat=True)) == ["welfare"]
    first, second = copy.meetings.order_by("order")
    assert (first.title, first.starts_at, first.ends_at) == (
        "Primo",
        _aware(2026, 3, 3, 9, 30),
        _aware(2026, 3, 3, 13, 30),
    )
    assert first.registration_closes_at == _aware(2026, 3, 2, 12, 0)
    assert (first.cancelled, first.online_url) == (False, "")
    assert (second.title, second.starts_at) == ("Secondo", None)
    assert Registration.objects.filter(meeting__lab=copy).count() == 0
    assert Meeting.objects.filter(lab=lab).count() == 2  # the original is untouched
    page = admin_client.get(response["Location"]).content.decode()
    assert "Creata la nuova edizione" in page and "lab-welfare-2026" in page


def test_duplicate_rejects_a_bad_number_of_days(admin_client):
    lab = LabFactory()
    response = admin_client.post(
        CHANGELIST, {"action": "duplicate_edition", "_selected_action": [lab.pk], "days": "abc", "apply": "1"}
    )
    assert response.status_code == 200
    assert "Inserisci un numero intero." in response.content.decode()
    assert Lab.objects.count() == 1


def test_programme_pdf_action_and_change_page_links(admin_client):
    lab = LabFactory(slug="lab-pdf")
    response = admin_client.post(CHANGELIST, {"action": "programme_pdf", "_selected_action": [lab.pk]})
    assert response["Location"] == reverse("pdf:lab_programme", args=["lab-pdf"])
    change = admin_client.get(reverse("admin:labs_lab_change", args=[lab.pk])).content.decode()
    assert f'href="{reverse("pdf:lab_programme", args=["lab-pdf"])}"' in change
    assert 'href="/laboratori/lab-pdf/"' in change or "/r/" in change  # view on site


def test_a_new_edition_keeps_the_wall_clock_time_across_daylight_saving():
    from labs.editions import lab_duplicate_edition

    lab = LabFactory()
    MeetingFactory(lab=lab, starts_at=_aware(2025, 11, 4, 9, 30), ends_at=_aware(2025, 11, 4, 13, 30))
    copy = lab_duplicate_edition(lab_id=lab.pk, days=210)  # into June, summer time
    meeting = copy.meetings.get()
    assert timezone.localtime(meeting.starts_at) == _aware(2026, 6, 2, 9, 30)
    assert timezone.localtime(meeting.ends_at) == _aware(2026, 6, 2, 13, 30)
    assert meeting.starts_at.utcoffset() is not None
