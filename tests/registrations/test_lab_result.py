"""The result page of "Iscriviti a tutto il laboratorio": each meeting once, one message per outcome, and the line
for a person already registered (said to everybody: the page never tells whether an address is registered)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import OutboundEmail, Registration
from tests.factories import LabFactory, MeetingFactory

from .test_views import form

pytestmark = pytest.mark.django_db

ALREADY = (
    "<strong>Già iscritto/a?</strong> Se eri già iscritto/a a uno di questi incontri, la tua iscrizione resta "
    "com'era: non ne abbiamo creata un'altra e ti abbiamo inviato di nuovo la sua email."
)
CONFIRMED = "Iscrizione confermata. Ti abbiamo inviato un&#x27;email all&#x27;indirizzo persona1@comune.example.it"


@pytest.fixture
def lab():
    lab = LabFactory(title="Lab Welfare", slug="welfare")
    start = timezone.now() + datetime.timedelta(days=10)
    for n in range(5):
        MeetingFactory(
            lab=lab,
            title=f"Incontro {n + 1}",
            starts_at=start + datetime.timedelta(days=n),
            requires_confirmation=False,
        )
    return lab


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _register(client, lab):
    return _main(
        client.post(reverse("registrations:register_lab", args=[lab.slug]), form(1), follow=True).content.decode()
    )


def _meeting_lines(html: str) -> list[str]:
    return re.findall(r"<li><span>Lab Welfare</span> – <span>(Incontro \d)</span></li>", html)


@pytest.mark.parametrize("again", [False, True], ids=["first time", "already registered"])
def test_each_meeting_once_and_the_message_once(client, lab, again):
    if again:
        _register(client, lab)
    emails = OutboundEmail.objects.count()
    html = _register(client, lab)
    assert Registration.objects.count() == 5  # registering again created nothing
    assert OutboundEmail.objects.count() == emails + 5  # and sent each meeting's email (again)
    assert _meeting_lines(html) == ["Incontro 1", "Incontro 2", "Incontro 3", "Incontro 4", "Incontro 5"]
    assert html.count(CONFIRMED) == 1
    assert html.count("Iscrizione confermata a 5 incontri") == 1
    assert html.count(ALREADY) == 1


def test_different_outcomes_are_separate_boxes(client, lab):
    full = lab.meetings.get(title="Incontro 3")
    full.capacity = 1
    full.save()
    client.post(reverse("registrations:register", args=[full.pk]), form(9))
    html = _register(client, lab)
    assert html.count("Iscrizione confermata a 4 incontri") == 1
    assert html.count("In lista d&#x27;attesa: 1 incontro") == 1
    assert "sei in lista d&#x27;attesa, in posizione 1" in html
    assert _meeting_lines(html) == ["Incontro 1", "Incontro 2", "Incontro 4", "Incontro 5", "Incontro 3"]


def test_a_single_meeting_result_is_as_before(client, lab):
    meeting = lab.meetings.get(title="Incontro 1")
    html = _main(
        client.post(reverse("registrations:register", args=[meeting.pk]), form(1), follow=True).content.decode()
    )
    assert "<span>Lab Welfare</span> – <span>Incontro 1</span></span></div>" in html
    assert html.count(CONFIRMED) == 1
    assert ALREADY not in html


def test_one_confirmation_link_lists_every_meeting_it_confirms(client):
    """Walk-through: the grouped "confirm your address" link showed one meeting and confirmed four."""
    lab = LabFactory(title="Lab Borghi", slug="borghi")
    start = timezone.now() + datetime.timedelta(days=10)
    for n in range(3):
        MeetingFactory(lab=lab, title=f"Tappa {n + 1}", starts_at=start + datetime.timedelta(days=n))
    client.post(reverse("registrations:register_lab", args=[lab.slug]), form(1))
    registrations = list(Registration.objects.order_by("pk"))
    assert [r.status for r in registrations] == [Registration.Status.PENDING] * 3
    url = reverse("registrations:confirm", args=[registrations[0].token])
    page = _main(client.get(url).content.decode())
    assert (
        "Con la stessa conferma confermi anche le iscrizioni agli altri 2 incontri che hai scelto insieme a questo:"
        in page
    )
    assert re.findall(r"<li><span>(Tappa \d)</span> – ", page) == ["Tappa 2", "Tappa 3"]
    done = client.post(url, follow=True).content.decode()
    assert "Iscrizioni confermate a 3 incontri: ti abbiamo inviato un&#x27;email per ciascuno." in done
    assert set(Registration.objects.values_list("status", flat=True)) == {Registration.Status.CONFIRMED}


def test_sending_the_whole_lab_form_again_before_confirming_resends_one_email(client):
    """Walk-through: the first submission sent one "confirm your address" email, each later one five."""
    lab = LabFactory(title="Lab Borghi", slug="borghi")
    start = timezone.now() + datetime.timedelta(days=10)
    for n in range(3):
        MeetingFactory(lab=lab, title=f"Tappa {n + 1}", starts_at=start + datetime.timedelta(days=n))
    url = reverse("registrations:register_lab", args=[lab.slug])
    client.post(url, form(1))
    client.post(url, form(1))
    emails = list(OutboundEmail.objects.order_by("pk").values_list("template", flat=True))
    assert emails == ["confirm_address", "confirm_address"]
    assert Registration.objects.count() == 3


def test_the_emails_text_has_one_empty_line_between_paragraphs(client, mailoutbox, django_capture_on_commit_callbacks):
    """Walk-through: two or three empty lines where optional parts of the template were left out."""
    lab = LabFactory(title="Lab Borghi", slug="borghi")
    start = timezone.now() + datetime.timedelta(days=10)
    for n in range(3):
        MeetingFactory(lab=lab, title=f"Tappa {n + 1}", starts_at=start + datetime.timedelta(days=n))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registrations:register_lab", args=[lab.slug]), form(1))
    (message,) = mailoutbox
    assert "\n\n\n" not in message.body
    assert message.body.startswith("Gentile ") and message.body.endswith("\n")
    assert "Lab Borghi – Tappa 1\n" in message.body and "Lab Borghi – Tappa 3\n" in message.body
