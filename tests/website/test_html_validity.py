"""The W3C Nu HTML Checker (vnu-jar from npm, run with a headless JRE) on every public page type, in Italian and English,
on the demo content: 0 errors and 0 warnings.

The pages are rendered with the test client, written to files and checked by ONE java invocation (the JVM takes seconds
to start). In CI (CI=true) a missing java or jar fails the test: .ci/run installs default-jre-headless and `npm ci`
installs vnu-jar; elsewhere the test is skipped with the command that installs them.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return [java, "-Xss2m", "-jar", str(VNU_JAR)]
    missing = "java (apt-get install default-jre-headless)" if not java else f"{VNU_JAR} (npm ci)"
    if os.environ.get("CI"):
        pytest.fail(f"The Nu HTML Checker cannot run in CI: missing {missing}")
    pytest.skip(f"The Nu HTML Checker is not installed: missing {missing}")


def _open_meeting():
    from labs.models import Meeting
    from tests.factories import MeetingFactory

    meeting = Meeting.objects.open_for_registration().order_by("pk").first()
    if meeting is None:  # the demo's dates may all be past
        from labs.models import Lab

        meeting = MeetingFactory(
            lab=Lab.objects.published().order_by("pk").first(),
            title="Incontro di prova",
            starts_at=timezone.now() + datetime.timedelta(days=20),
        )
    return meeting


def _registration():
    from tests.factories import RegistrationFactory

    return RegistrationFactory(meeting=_open_meeting())


def _certificate():
    """A lab certificate of somebody present at a meeting of a published lab (the demo's dates may all be future)."""
    from registrations.certificates import certificate_issue
    from registrations.models import Certificate
    from tests.factories import MeetingFactory, RegistrationFactory

    certificate = Certificate.objects.order_by("pk").first()
    if certificate is None:
        from labs.models import Lab

        start = timezone.now() - datetime.timedelta(days=10)
        meeting = MeetingFactory(
            lab=Lab.objects.published().order_by("pk").first(),
            title="Incontro svolto",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
        )
        registration = RegistrationFactory(meeting=meeting, attended=True)
        certificate = certificate_issue(registration_id=registration.pk, kind="lab")
    return certificate


def _meeting_with_materials():
    from labs.models import MeetingMaterial

    meeting = _open_meeting()
    if not meeting.materials.published().exists():
        MeetingMaterial.objects.create(
            meeting=meeting, title="Registrazione", kind="recording", url="https://video.example.org/1", published=True
        )
    return meeting


def _survey_registration():
    from tests.factories import MeetingFactory, RegistrationFactory

    # The questionnaire opens once the meeting took place: a held meeting of the same lab.
    meeting = _open_meeting()
    held = MeetingFactory(lab=meeting.lab, starts_at=timezone.now() - datetime.timedelta(days=1))
    registration = RegistrationFactory(meeting=held, attended=True)
    return reverse("surveys:answer", args=[registration.token])


def _first(model_path: str, queryset: str = "published"):
    from django.apps import apps

    model = apps.get_model(model_path)
    return getattr(model.objects, queryset)().order_by("pk").first()


def _past_meeting():
    from labs.models import Meeting

    return Meeting.objects.published().past().first()


def _lab_with_two_open_meetings():
    """The lab page and meeting page offer "Iscriviti a tutto il laboratorio" (issue 12)."""
    from labs.models import Meeting
    from tests.factories import MeetingFactory

    meeting = _open_meeting()
    if Meeting.objects.open_for_registration().filter(lab=meeting.lab).count() < 2:
        MeetingFactory(
            lab=meeting.lab, title="Secondo incontro di prova", starts_at=meeting.starts_at + datetime.timedelta(days=7)
        )
    return meeting


# name -> (URL builder, expected status). Each is fetched in Italian and in English.
PAGES = {
    "home": (lambda: reverse("home"), 200),
    "lab_list": (lambda: reverse("labs:list"), 200),
    "lab_list_past": (lambda: reverse("labs:list") + "?stato=conclusi", 200),
    "lab_detail": (lambda: _first("labs.Lab").get_absolute_url(), 200),
    "meeting_detail": (lambda: _open_meeting().get_absolute_url(), 200),
    "project_list": (lambda: reverse("projects:list"), 200),
    "project_list_filtered": (lambda: reverse("projects:list") + "?q=comuni&ordine=titolo", 200),
    "project_detail": (lambda: _first("projects.Project").get_absolute_url(), 200),
    "service_list": (lambda: reverse("projects:service_list"), 200),
    "service_detail": (lambda: _first("projects.Service", "active").get_absolute_url(), 200),
    "publication_list": (lambda: reverse("publications:list"), 200),
    "publication_detail": (lambda: _first("publications.Publication").get_absolute_url(), 200),
    "news_list": (lambda: reverse("publications:article_list"), 200),
    "news_detail": (lambda: _first("publications.Article").get_absolute_url(), 200),
    "search": (lambda: reverse("search") + "?q=laboratorio", 200),
    "search_empty": (lambda: reverse("search"), 200),
    "privacy": (lambda: reverse("privacy"), 200),
    "legal": (lambda: reverse("legal"), 200),
    "accessibility": (lambda: reverse("accessibility"), 200),
    "site_map": (lambda: reverse("site_map"), 200),
    "registration_form": (lambda: reverse("registrations:register", kwargs={"pk": _open_meeting().pk}), 200),
    "registration_form_lab": (
        lambda: reverse("registrations:register_lab", kwargs={"slug": _open_meeting().lab.slug}),
        200,
    ),
    "registration_manage": (lambda: _registration().get_absolute_url(), 200),
    "registration_manage_attended": (lambda: _certificate().registration.get_absolute_url(), 200),
    "certificate_verify": (lambda: reverse("registrations:certificate_verify"), 200),
    "certificate_detail": (lambda: _certificate().get_absolute_url(), 200),
    "certificate_unknown": (lambda: reverse("registrations:certificate_detail", kwargs={"code": "AAAAAAAAAA"}), 404),
    "meeting_past": (lambda: _past_meeting().get_absolute_url(), 200),
    "meeting_whole_lab_offered": (lambda: _lab_with_two_open_meetings().get_absolute_url(), 200),
    "lab_whole_lab_offered": (lambda: _lab_with_two_open_meetings().lab.get_absolute_url(), 200),
    "meeting_materials": (lambda: _meeting_with_materials().get_absolute_url(), 200),
    "survey": (_survey_registration, 200),
    "login": (lambda: reverse("account_login"), 200),
    "not_found": (lambda: reverse("home") + "pagina-che-non-esiste/", 404),
}


def test_every_public_page_type_is_valid_html_in_both_languages(client, settings, tmp_path):
    command = _checker()
    settings.DEBUG = False  # the designed 404, not the technical one
    call_command("load_demo", verbosity=0)
    files: dict[str, str] = {}
    for language in ("it", "en"):
        for name, (build_url, status) in PAGES.items():
            with translation.override(language):
                url = build_url()
            response = client.get(url)
            assert response.status_code == status, (language, name, url)
            path = tmp_path / f"{language}-{name}.html"
            path.write_bytes(response.content)
            files[str(path)] = f"{language} {name} {url}"

    # --Werror: warnings count as errors; JSON goes to stderr.
    result = subprocess.run(
        [*command, "--format", "json", "--Werror", *files], capture_output=True, text=True, timeout=300
    )
    report = json.loads(result.stderr or result.stdout)
    messages = [
        f"{files[m['url'].removeprefix('file:')]}:{m.get('lastLine', '?')}: {m['type']}"
        f"{'/' + m['subType'] if m.get('subType') else ''}: {m['message']} «{m.get('extract', '').strip()}»"
        for m in report["messages"]
    ]
    assert messages == []
    assert result.returncode == 0


def test_signed_in_pages_are_valid_html(client, tmp_path):
    """The signed-in header (Le mie iscrizioni, Esci) and "Le mie iscrizioni" with upcoming and past rows."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from tests.factories import MeetingFactory, RegistrationFactory

    command = _checker()
    email = "giulia@comune.example.it"
    user = get_user_model().objects.create_user(username="giulia", email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    RegistrationFactory(email=email, meeting=MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=9)))
    RegistrationFactory(email=email, status="waitlisted", meeting=MeetingFactory())
    RegistrationFactory(email=email, meeting=MeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=9)))
    client.force_login(user)
    files = {}
    for language in ("it", "en"):
        for name, build_url in {"mine": lambda: reverse("registrations:mine"), "home": lambda: reverse("home")}.items():
            with translation.override(language):
                url = build_url()
            response = client.get(url)
            assert response.status_code == 200, url
            path = tmp_path / f"{language}-{name}.html"
            path.write_bytes(response.content)
            files[str(path)] = f"{language} {name} {url}"
    result = subprocess.run(
        [*command, "--format", "json", "--Werror", *files], capture_output=True, text=True, timeout=300
    )
    report = json.loads(result.stderr or result.stdout)
    assert [
        f"{files[m['url'].removeprefix('file:')]}:{m.get('lastLine', '?')}: {m['message']}" for m in report["messages"]
    ] == []
