"""The meetings inline on the lab's change form runs the same rules as the meeting's own page: registrants are told
by default, a cancelled meeting cancels its registrations, capacity cannot drop below the seats held.

Each test GETs the lab page and POSTs its form back as a browser would (tests/support/forms.py), with the inline's
management form, changing only what staff change."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from labs.models import Meeting
from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    lab = LabFactory(title="Lab Welfare")
    start = timezone.make_aware(datetime.datetime(2030, 3, 5, 9, 30))
    first = MeetingFactory(lab=lab, order=1, title="Primo", starts_at=start, capacity=2)
    MeetingFactory(lab=lab, order=2, title="Secondo", starts_at=start + datetime.timedelta(days=7), capacity=10)
    RegistrationFactory(meeting=first, first_name="Anna", last_name="Verdi", email="anna@example.it")
    RegistrationFactory(
        meeting=first,
        first_name="Carla",
        last_name="Neri",
        email="carla@example.it",
        status=Registration.Status.PENDING,
        confirmed_at=None,
    )
    RegistrationFactory(
        meeting=first,
        first_name="Bruno",
        last_name="Bianchi",
        email="bruno@example.it",
        status=Registration.Status.WAITLISTED,
    )
    RegistrationFactory(meeting=first, email="gia-annullata@example.it", status=Registration.Status.CANCELLED)
    return lab


def _url(lab) -> str:
    return reverse("admin:labs_lab_change", args=[lab.pk])


def _row(lab, title: str) -> int:
    """The index of a meeting in the inline (ordered like Meeting.Meta.ordering)."""
    return [m.title for m in Meeting.objects.filter(lab=lab)].index(title)


def _post(client, lab, django_capture_on_commit_callbacks, **changes):
    page = client.get(_url(lab)).content.decode()
    data = form_data(page, "lab_form", **changes)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(_url(lab), data, follow=True)


def _emails() -> list[tuple[str, str]]:
    return sorted(OutboundEmail.objects.values_list("to", "template"))


def _statuses(meeting_title: str) -> dict[str, str]:
    return dict(Registration.objects.filter(meeting__title=meeting_title).values_list("email", "status"))


def test_the_inline_shows_the_boxes_ticked_and_who_would_not_be_told(admin_client, lab):
    page = admin_client.get(_url(lab)).content.decode()
    row = _row(lab, "Primo")
    data = form_data(page, "lab_form")
    assert data[f"meetings-{row}-notify_registrants"] == "on"
    assert data[f"meetings-{row}-cancel_registrations"] == "on"
    assert data["meetings-TOTAL_FORMS"] == "2"
    assert (
        "Se togli la spunta, non saranno avvisati 3 iscritti: Bruno Bianchi (lista d&#x27;attesa), "
        "Carla Neri (in attesa di conferma), Anna Verdi (confermata)."
    ) in page


def test_moving_a_meeting_in_the_inline_tells_every_active_registrant(
    admin_client, lab, django_capture_on_commit_callbacks
):
    row = _row(lab, "Primo")
    response = _post(admin_client, lab, django_capture_on_commit_callbacks, **{f"meetings-{row}-starts_at_1": "10:00"})
    assert response.redirect_chain[-1][0] == reverse("admin:labs_lab_changelist")
    meeting = Meeting.objects.get(title="Primo")
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "10:00"
    assert _emails() == [
        ("anna@example.it", "meeting_changed"),
        ("bruno@example.it", "meeting_changed"),
        ("carla@example.it", "meeting_changed"),
    ]
    assert "«Primo»: Avviso della modifica in coda per 3 iscritti." in response.content.decode()
    # Seats and waiting list as before.
    assert _statuses("Primo")["bruno@example.it"] == "waitlisted"


def test_unticking_the_box_in_the_inline_tells_nobody_and_says_so(
    admin_client, lab, django_capture_on_commit_callbacks
):
    row = _row(lab, "Primo")
    response = _post(
        admin_client,
        lab,
        django_capture_on_commit_callbacks,
        **{f"meetings-{row}-starts_at_1": "10:00", f"meetings-{row}-notify_registrants": None},
    )
    assert OutboundEmail.objects.count() == 0
    assert "«Primo»: Come richiesto, 3 iscritti non sono stati avvisati della modifica." in response.content.decode()


def test_cancelling_a_meeting_in_the_inline_cancels_its_registrations_and_tells_them(
    admin_client, lab, django_capture_on_commit_callbacks
):
    row = _row(lab, "Primo")
    response = _post(admin_client, lab, django_capture_on_commit_callbacks, **{f"meetings-{row}-cancelled": "on"})
    body = response.content.decode()
    assert "«Primo»: 3 iscrizioni annullate con l&#x27;incontro." in body
    assert Meeting.objects.get(title="Primo").cancelled
    assert set(_statuses("Primo").values()) == {"cancelled"}
    assert _emails() == [
        ("anna@example.it", "meeting_cancelled"),
        ("bruno@example.it", "meeting_cancelled"),
        ("carla@example.it", "meeting_cancelled"),
    ]
    assert Meeting.objects.with_seats_taken().get(title="Primo").seats_taken == 0
    # The other meeting of the lab was not touched.
    assert not Meeting.objects.get(title="Secondo").cancelled


def test_cancelling_in_the_inline_can_keep_the_registrations(admin_client, lab, django_capture_on_commit_callbacks):
    row = _row(lab, "Primo")
    _post(
        admin_client,
        lab,
        django_capture_on_commit_callbacks,
        **{f"meetings-{row}-cancelled": "on", f"meetings-{row}-cancel_registrations": None},
    )
    assert _statuses("Primo") == {
        "anna@example.it": "confirmed",
        "carla@example.it": "pending",
        "bruno@example.it": "waitlisted",
        "gia-annullata@example.it": "cancelled",
    }
    assert [template for _to, template in _emails()] == ["meeting_cancelled"] * 3


def test_the_inline_refuses_a_capacity_below_the_seats_held(admin_client, lab, django_capture_on_commit_callbacks):
    row = _row(lab, "Primo")
    response = _post(admin_client, lab, django_capture_on_commit_callbacks, **{f"meetings-{row}-capacity": "1"})
    assert response.redirect_chain == []
    assert (
        "Non puoi ridurre i posti a 1: 2 persone hanno già un posto (confermate o in attesa di conferma)."
        in response.content.decode()
    )
    assert Meeting.objects.get(title="Primo").capacity == 2
    assert OutboundEmail.objects.count() == 0


def test_raising_the_capacity_in_the_inline_promotes_the_waiting_list(
    admin_client, lab, django_capture_on_commit_callbacks
):
    row = _row(lab, "Primo")
    response = _post(admin_client, lab, django_capture_on_commit_callbacks, **{f"meetings-{row}-capacity": "3"})
    assert "«Primo»: 1 persona è passata dalla lista d&#x27;attesa agli iscritti." in response.content.decode()
    # Seated with a hold: Bruno has not confirmed the address yet (the meeting asks for it).
    assert _statuses("Primo")["bruno@example.it"] == "pending"
    assert _emails() == [("bruno@example.it", "promoted")]


def test_saving_the_lab_without_touching_the_meetings_sends_nothing(
    admin_client, lab, django_capture_on_commit_callbacks
):
    response = _post(admin_client, lab, django_capture_on_commit_callbacks, title="Lab Welfare 2030")
    assert response.redirect_chain[-1][0] == reverse("admin:labs_lab_changelist")
    assert OutboundEmail.objects.count() == 0
