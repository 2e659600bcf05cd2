"""Certificates in the admin: "Genera e invia attestati" on meetings and labs (POSTed like a browser), the list of
certificates issued with the state of their emails, and the links from the registration and attendance pages."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registrations.models import Certificate, OutboundEmail
from tests.support.certificates import lab_with_attendance

pytestmark = pytest.mark.django_db
MEETINGS = reverse("admin:labs_meeting_changelist")
LABS = reverse("admin:labs_lab_changelist")


@pytest.fixture
def scene():
    return lab_with_attendance()


def _send(client, changelist: str, objects, *, apply: bool):
    data = {"action": "send_certificates", "_selected_action": [o.pk for o in objects]}
    if apply:
        data["apply"] = "1"
    return client.post(changelist, data)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", ["secretary_client", "admin_client"])
def test_the_meeting_action_asks_first_then_emails_each_attendee_once(request, role, scene):
    client = request.getfixturevalue(role)
    page = _send(client, MEETINGS, [scene.first], apply=False)
    assert page.status_code == 200
    body = page.content.decode()
    assert "2 persone risultano presenti." in body
    assert "0 hanno già ricevuto l&#x27;attestato" in body
    assert Certificate.objects.count() == 0 and not OutboundEmail.objects.exists()

    response = _send(client, MEETINGS, [scene.first], apply=True)
    assert response.status_code == 302
    assert _messages(response) == ["«Primo incontro»: 2 attestati; 2 email in coda; 0 già inviati in precedenza"]
    response = _send(client, MEETINGS, [scene.first], apply=True)
    # (The first run's message is still in the session: the test did not follow its redirect.)
    assert _messages(response)[-1] == "«Primo incontro»: 2 attestati; 0 email in coda; 2 già inviati in precedenza"
    emails = OutboundEmail.objects.filter(template="certificate")
    assert sorted(emails.values_list("to", flat=True)) == ["giulia@como.example.it", "marco@lodi.example.it"]
    assert set(Certificate.objects.values_list("kind", "meeting_id")) == {("meeting", scene.first.pk)}

    again = _send(client, MEETINGS, [scene.first], apply=False).content.decode()
    assert "2 hanno già ricevuto l&#x27;attestato e non lo riceveranno di nuovo" in again


def test_the_lab_action_sends_lab_certificates(secretary_client, scene):
    page = _send(secretary_client, LABS, [scene.lab], apply=False).content.decode()
    assert "2 persone risultano presenti." in page
    assert "ore degli incontri svolti finora" in page
    _send(secretary_client, LABS, [scene.lab], apply=True)
    _send(secretary_client, LABS, [scene.lab], apply=True)
    assert OutboundEmail.objects.filter(template="certificate").count() == 2
    assert sorted(Certificate.objects.values_list("last_name", "kind")) == [("Bruni", "lab"), ("Ferrari", "lab")]


def test_the_editorial_role_cannot_send_certificates(editor_client, scene):
    response = _send(editor_client, MEETINGS, [scene.first], apply=True)
    assert not OutboundEmail.objects.exists()
    assert response.status_code == 302  # the action is not among theirs: "no action selected"
    assert editor_client.get(reverse("admin:registrations_certificate_changelist")).status_code == 403


def test_the_certificates_list_is_the_log_of_what_was_sent(secretary_client, scene):
    _send(secretary_client, MEETINGS, [scene.first], apply=True)
    url = reverse("admin:registrations_certificate_changelist") + f"?meeting__id__exact={scene.first.pk}"
    response = secretary_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for certificate in Certificate.objects.all():
        assert certificate.display_code in body
    assert body.count("in coda") >= 2  # the outbox rows' state; "inviata" once the worker has sent them
    certificate = Certificate.objects.get(last_name="Bruni")
    change = secretary_client.get(reverse("admin:registrations_certificate_change", args=[certificate.pk]))
    assert change.status_code == 200
    assert f'href="/attestati/{certificate.code}/"' in change.content.decode()
    assert f'href="{reverse("pdf:meeting_certificate", args=[scene.marco.pk])}"' in change.content.decode()


def test_the_registration_meeting_lab_and_attendance_pages_link_the_certificates(secretary_client, scene):
    registration = secretary_client.get(reverse("admin:registrations_registration_change", args=[scene.giulia.pk]))
    body = registration.content.decode()
    assert f'href="{reverse("pdf:meeting_certificate", args=[scene.giulia.pk])}"' in body
    assert f'href="{reverse("pdf:certificate", args=[scene.giulia.pk])}"' in body
    absent = secretary_client.get(reverse("admin:registrations_registration_change", args=[scene.anna.pk]))
    assert "attestato-incontro.pdf" not in absent.content.decode()

    attendance = secretary_client.get(reverse("admin:labs_meeting_attendance", args=[scene.first.pk])).content.decode()
    assert '<input type="hidden" name="action" value="send_certificates">' in attendance
    assert f'href="{reverse("pdf:meeting_certificate", args=[scene.marco.pk])}"' in attendance
    assert f'href="{reverse("pdf:meeting_certificate", args=[scene.anna.pk])}"' not in attendance

    meeting = secretary_client.get(reverse("admin:labs_meeting_change", args=[scene.first.pk])).content.decode()
    assert f"?meeting__id__exact={scene.first.pk}" in meeting


def test_the_lab_page_links_its_certificates(admin_client, scene):
    body = admin_client.get(reverse("admin:labs_lab_change", args=[scene.lab.pk])).content.decode()
    assert f"?lab__id__exact={scene.lab.pk}&amp;kind__exact=lab" in body
