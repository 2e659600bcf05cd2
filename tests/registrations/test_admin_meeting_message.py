"""The meeting's page links "Scrivi agli iscritti" for that meeting (MeetingAdmin.message_view), to the people who
may send messages (the action's permission, registrations.change_registration) and to nobody else."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from registrations.models import OutboundEmail, Registration, StaffMessage
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory(title="Secondo incontro", lab=LabFactory(title="Lab Mobilità"))
    RegistrationFactory(meeting=meeting, first_name="Anna", last_name="Verdi", email="anna@example.it")
    RegistrationFactory(
        meeting=meeting, first_name="Bruno", last_name="Bianchi", email="bruno@example.it",
        status=Registration.Status.CANCELLED,
    )  # fmt: skip
    return meeting


def _url(meeting) -> str:
    return reverse("admin:labs_meeting_message", args=[meeting.pk])


def test_the_meeting_page_links_the_message_form_for_a_secretary(secretary_client, meeting):
    page = secretary_client.get(reverse("admin:labs_meeting_change", args=[meeting.pk])).content.decode()
    assert f'<li><a href="{_url(meeting)}">Scrivi agli iscritti</a></li>' in page


def test_the_form_opens_with_the_meeting_chosen_then_sends_to_it(
    secretary_client, secretary, meeting, django_capture_on_commit_callbacks
):
    other = MeetingFactory(title="Altro incontro")
    RegistrationFactory(meeting=other, email="altro@example.it")
    form = secretary_client.get(_url(meeting))
    html = form.content.decode()
    assert form.status_code == 200
    assert form.context["title"] == "Scrivi agli iscritti"
    assert list(form.context["queryset"]) == [meeting]
    assert "<li>Lab Mobilità – Secondo incontro</li>" in html
    assert "Altro incontro" not in html
    assert '<input type="hidden" name="action" value="email_confirmed"' in html
    data = {"action": "email_confirmed", "audience": "confirmed", "subject": "Aula", "body": "Cambio d'aula."}

    preview = secretary_client.post(_url(meeting), {**data, "preview": "1"})
    assert "Il messaggio sarà inviato a 1 persona." in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = secretary_client.post(_url(meeting), {**data, "apply": "1"})
    assert sent.status_code == 302
    assert sent["Location"] == reverse("admin:labs_meeting_change", args=[meeting.pk])
    assert [m.to for m in mail.outbox] == [["anna@example.it"]]
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["anna@example.it"]
    log = StaffMessage.objects.get()
    assert (log.meeting, log.audience, log.subject, log.sent_by) == (meeting, "confirmed", "Aula", secretary)


def test_without_the_permission_there_is_no_link_and_no_form(editor_client, meeting):
    # The editorial group may edit meetings but not write to their registrants.
    page = editor_client.get(reverse("admin:labs_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200
    assert "Scrivi agli iscritti" not in page.content.decode()
    assert _url(meeting) not in page.content.decode()
    assert editor_client.get(_url(meeting)).status_code == 403
    response = editor_client.post(_url(meeting), {"audience": "confirmed", "subject": "x", "body": "y", "apply": "1"})
    assert response.status_code == 403
    assert OutboundEmail.objects.count() == 0 and StaffMessage.objects.count() == 0


def test_an_unknown_meeting_is_not_found(secretary_client):
    assert secretary_client.get(reverse("admin:labs_meeting_message", args=[999999])).status_code == 404
