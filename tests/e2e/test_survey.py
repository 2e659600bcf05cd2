"""After the meeting, in real Chromium: staff publish the materials and thank the attendees; an attendee opens the
email's survey link, answers (axe finds no WCAG 2.1 AA violation on the form, its errors or the thank-you page), and
staff read the results (axe again)."""

from __future__ import annotations

import datetime
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from ancilab_portal.celery import app as celery_app
from labs.models import MeetingMaterial
from surveys.models import Questionnaire, Response
from surveys.services import meeting_follow_up_send
from tests.conftest import AXE_PATH, axe_violations
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def default_questionnaire():
    # A transactional test before this one may have flushed the data migration's questionnaire.
    import_module("surveys.migrations.0002_default_questionnaire").create_default(apps, None)


def _log_in(page, live_server, user) -> None:
    """A staff session without the email-code + TOTP steps (test_backoffice_walkthrough.py walks through those)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def _choose(page, question: str, score: int) -> None:
    """Click the score's label, as a person does (Bootstrap Italia draws the radio button on the label)."""
    group = page.get_by_role("group", name=question)
    group.locator("label", has_text=re.compile(rf"^{score}$")).click()
    assert group.get_by_label(str(score), exact=True).is_checked()


def test_an_attendee_answers_the_survey_from_the_thank_you_email(page, live_server, admin_user, settings):
    settings.SITE_URL = live_server.url
    lab = LabFactory(title="Lab Welfare")
    meeting = MeetingFactory(lab=lab, title="Primo incontro", starts_at=timezone.now() - datetime.timedelta(days=1))
    MeetingMaterial.objects.create(
        meeting=meeting, title="Registrazione", kind="recording", url="https://video.example.org/primo"
    )
    RegistrationFactory(meeting=meeting, first_name="Anna", email="anna@example.it", attended=True)

    meeting_follow_up_send(meeting_id=meeting.pk)
    (email,) = mail.outbox
    link = re.search(rf"{re.escape(live_server.url)}/iscrizioni/[\w-]+/questionario/", email.body).group(0)

    page.goto(meeting.get_absolute_url())
    assert page.get_by_role("heading", name="Materiali e registrazioni").is_visible()
    assert axe_violations(page) == []

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Questionario di gradimento"
    assert axe_violations(page) == []
    # Sent with one score missing: the error summary and the marked question must be accessible too.
    _choose(page, "Nel complesso, quanto sei soddisfatto/a dell'incontro?", 5)
    _choose(page, "Quanto sono stati utili i contenuti per il tuo lavoro?", 4)
    _choose(page, "Quanto sono stati chiari i relatori?", 4)
    page.get_by_role("button", name="Invia le risposte").click()
    page.wait_for_selector("#form-errors")
    assert "Come valuti l'organizzazione (orari, sede o piattaforma online)?" in page.inner_text("#form-errors")
    assert axe_violations(page) == []
    _choose(page, "Come valuti l'organizzazione (orari, sede o piattaforma online)?", 3)
    page.get_by_label("Che cosa ti è stato più utile?").fill("Gli esempi dei Comuni")
    page.get_by_role("button", name="Invia le risposte").click()
    page.wait_for_selector("#survey-done")
    assert "Grazie, hai già risposto al questionario" in page.inner_text("#survey-done")
    assert axe_violations(page) == []
    assert sorted(Response.objects.get().answers.values_list("score", flat=True), key=str) == [3, 4, 4, 5, None]

    assert page.csp_violations == []
    _log_in(page, live_server, admin_user)
    page.goto(f"/admin/surveys/questionnaire/risultati/incontro/{meeting.pk}/")
    assert "Risposte: 1. Presenti: 1." in page.inner_text("#survey-counts")
    assert page.locator("svg[role=img]").count() == 1
    assert axe_violations(page) == []
    questionnaire = Questionnaire.objects.default()
    for url in (
        "/admin/surveys/questionnaire/risultati/",
        f"/admin/surveys/questionnaire/{questionnaire.pk}/change/",
    ):
        page.goto(url)
        assert page.csp_violations == [], url  # before axe: axe itself may trip the CSP on pages with jQuery
        violations = axe_violations(page)
        assert violations == [], (url, violations)
        page.csp_violations.clear()
    assert page.external_requests == []
    # The meeting form itself is not this test's (its date widgets and breadcrumbs have known findings): only the
    # materials inline is checked, after a row is added.
    page.goto(f"/admin/labs/meeting/{meeting.pk}/change/")
    page.locator("#materials-group .add-row a").click()
    page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run('#materials-group', {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert [v["id"] for v in result["violations"]] == []
