"""The check-in page at the door in real Chromium: a QR code shown to the (fake) camera checks the person in, a name
found with the search box is checked in with one tap, and the page passes axe within the Content-Security-Policy
(camera and WebAssembly allowed on this page only, everything served from 'self')."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from PIL import Image

from registrations.checkin import checkin_code, checkin_qr_png
from registrations.models import Registration
from tests.conftest import CHROMIUM_ARGS, _staff, axe_violations, ensure_staff_groups
from tests.factories import LabFactory, MeetingFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480


def write_y4m(png: bytes, path, frames: int = 10) -> None:
    """A Y4M video (what Chromium's fake camera reads) showing the QR code big and centred on white: 4:2:0, the
    luma plane is the grey image and the chroma planes are neutral (128)."""
    qr = Image.open(io.BytesIO(png)).convert("L")
    side = min(WIDTH, HEIGHT) - 60
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F25:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)


def _guarded_page(context, live_server):
    """Like tests/conftest.py's page: requests elsewhere are aborted and counted, CSP reports are collected."""
    external: list[str] = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.external_requests = external
    page.csp_violations = []
    page.on("console", lambda m: page.csp_violations.append(m.text) if "Content Security Policy" in m.text else None)
    return page


@pytest.fixture
def camera_page(chromium_browser, live_server, request):
    """open(video_path): a page of a second Chromium whose (fake) camera shows the Y4M file at video_path."""
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

    def open_page(video_path):
        browser = chromium_browser.browser_type.launch(
            executable_path=executable,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video_path}",
            ],
        )
        request.addfinalizer(browser.close)
        context = browser.new_context(base_url=live_server.url, locale="it-IT")
        return _guarded_page(context, live_server)

    return open_page


@pytest.fixture
def secretary(transactional_db):
    """The "Segreteria iscrizioni" role; an earlier browser test's flush may have emptied the groups."""
    ensure_staff_groups()
    return _staff("segreteria", "Segreteria iscrizioni")


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


@pytest.fixture
def meeting_today():
    start = timezone.now() - datetime.timedelta(minutes=30)
    return MeetingFactory(
        lab=LabFactory(title="Lab Welfare"),
        title="Incontro in sala",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=30,
    )


def test_a_qr_code_shown_to_the_camera_checks_the_person_in(
    camera_page, live_server, secretary, meeting_today, tmp_path
):
    anna = RegistrationFactory(
        meeting=meeting_today, first_name="Anna", last_name="Verdi", organization="Comune di Bergamo"
    )
    other = RegistrationFactory(meeting=meeting_today, first_name="Bruno", last_name="Bianchi")
    video = tmp_path / "camera.y4m"
    write_y4m(checkin_qr_png(checkin_code(anna.pk)), video)
    page = camera_page(video)
    _log_in(page, live_server, secretary)

    page.goto(f"/admin/labs/meeting/{meeting_today.pk}/ingresso/")
    assert page.locator("h1").inner_text() == "Ingresso: Incontro in sala"
    page.click("#scanner-start")
    page.wait_for_url(re.compile(r"/ingresso/\?scan=1$"), timeout=30_000)
    assert page.locator("#checkin-messages").inner_text().strip() == "Anna Verdi (Comune di Bergamo): presente."
    anna.refresh_from_db()
    other.refresh_from_db()
    assert (anna.attended, other.attended) == (True, False)
    assert anna.history.first().history_user == secretary
    assert page.locator("#checkin-count").inner_text() == "Presenti: 1 su 2 iscritti confermati"
    assert page.external_requests == []
    assert page.csp_violations == []


def test_check_in_by_name_and_a_walk_in_pass_axe(page, live_server, secretary, meeting_today):
    anna = RegistrationFactory(meeting=meeting_today, first_name="Anna", last_name="Verdi")
    RegistrationFactory(meeting=meeting_today, first_name="Bruno", last_name="Bianchi")
    _log_in(page, live_server, secretary)

    page.goto(f"/admin/labs/meeting/{meeting_today.pk}/ingresso/")
    assert page.locator("#checkin-list li strong").all_inner_texts() == ["Bianchi Bruno", "Verdi Anna"]
    assert axe_violations(page) == []
    page.fill("#checkin-q", "verd")
    page.click("form[role=search] button")
    assert page.locator("#checkin-list li strong").all_inner_texts() == ["Verdi Anna"]
    page.click(f"#person-{anna.pk} button")
    assert page.locator("#checkin-messages").inner_text().strip() == f"Anna Verdi ({anna.organization}): presente."
    assert page.locator(f"#person-{anna.pk} .checkin-present").inner_text() == "Presente"
    anna.refresh_from_db()
    assert anna.attended is True

    page.click("#walkin-title ~ details summary")
    page.fill("#id_walkin-first_name", "Carla")
    page.fill("#id_walkin-last_name", "Neri")
    page.fill("#id_walkin-email", "carla@comune.lecco.it")
    page.fill("#id_walkin-organization", "Comune di Lecco")
    page.select_option("#id_walkin-organization_type", "comune")
    assert axe_violations(page) == []
    page.click("#walkin-title ~ details form button[type=submit]")
    assert page.locator("#checkin-messages").inner_text().strip() == (
        "Carla Neri (Comune di Lecco) iscritta e segnata presente."
    )
    carla = Registration.objects.get(email="carla@comune.lecco.it")
    assert (carla.status, carla.attended, carla.registered_by, carla.override_reason) == (
        "confirmed",
        True,
        secretary,
        "",
    )
    assert page.locator("#checkin-count").inner_text() == "Presenti: 2 su 3 iscritti confermati"
    # The other pages of this part of the back-office: registration on behalf, and the attendance list.
    for url in (
        f"/admin/registrations/registration/add/?meeting={meeting_today.pk}",
        f"/admin/labs/meeting/{meeting_today.pk}/presenze/",
    ):
        page.goto(url)
        assert axe_violations(page) == [], url
    assert page.external_requests == []
    assert page.csp_violations == []
